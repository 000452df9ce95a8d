"""Generators for `make schemathesis` that match the rules a schema cannot state (schemathesis's advice for
them: "extend generators to match runtime rules"). Each hook changes only parts generated as valid, so the
invalid ones still test the refusals; each names the rule it mirrors and where the server checks it.

Loaded by tests/fuzz.py through SCHEMATHESIS_HOOKS.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

import geothai
import httpx
import jsonschema_rs
import schemathesis
from hypothesis import strategies as st
from hypothesis.internal import lambda_sources
from schemathesis import Case
from schemathesis.core.parameters import ParameterLocation

from services.assessment.rounds.repository import item_cursor
from services.common.geo import REGIONS
from services.common.geo.areas import COUNTRY
from services.common.pagination import OrderColumn, encode_cursor
from services.common.types import AREA_CODE_FORMAT, PROVINCE_CODE_FORMAT
from services.funds.cursors import encode_position
from services.funds.funds.schemas import FundCreate

_describe_lambda: Any = lambda_sources._lambda_description


def _lambda_described(f: Any, *args: Any, **kwargs: Any) -> str:
    """Hypothesis names a filter's lambda by parsing its module's source; on CPython 3.11.7 that parse can
    fail with "AST constructor recursion depth mismatch" (a CPython bug, fixed in later 3.11 releases), which
    crashed a whole fuzz run over a strategy's repr. A name is not worth a crash: it is then `lambda`."""
    try:
        return str(_describe_lambda(f, *args, **kwargs))
    except SystemError:
        return "lambda"


lambda_sources._lambda_description = _lambda_described


@cache
def _provinces() -> list[str]:
    return [province.code for province in geothai.provinces()]


@cache
def _areas() -> list[str]:
    """Every code an area field takes (services/common/geo/areas.py: is_known_area)."""
    districts = [district.code for code in _provinces() for district in geothai.districts(code)]
    tambons = [tambon.code for code in districts for tambon in geothai.subdistricts(code)]
    return [COUNTRY, *REGIONS, *_provinces(), *districts, *tambons]


# an area code is one in the official DOPA list (the pattern gives its shape; the list is GET /v1/geo/...)
schemathesis.openapi.format(AREA_CODE_FORMAT, st.sampled_from(_areas()))
schemathesis.openapi.format(PROVINCE_CODE_FORMAT, st.sampled_from(_provinces()))


# the fields that hold an area code, by the names the schemas give them (each has AREA_CODE_FORMAT or
# PROVINCE_CODE_FORMAT): the coverage phase draws their boundary values from the pattern, not the list
AREA_FIELDS = ("area", "area_code", "province_code")
# funds the demo data opened (tests/fuzz.py lists them): a disbursement to a fund names one that exists
POSITIONED_LISTS = ("ledger", "history")  # their cursors name the list itself (funds/cursors.py)
DEFAULT_APPROVALS = FundCreate.model_fields["approvals_required"].default
GATEWAY = os.environ.get("KHABUAN_FUZZ_URL", "")
FUNDS = [fund_id for fund_id in os.environ.get("KHABUAN_FUZZ_FUNDS", "").split(",") if fund_id]


def _valid(case: Case[Any], location: ParameterLocation) -> bool:
    return case.meta is None or not case.meta.is_negative_at(location)


@schemathesis.hook
def filter_case(context: Any, case: Case[Any]) -> bool:
    """A body generated to break its schema is kept only if it does, as the spec's own regexes read
    (ECMA-262, jsonschema_rs): schemathesis rewrites `\\p{L}` as Latin letters and `\\p{N}` as 0-9, both to
    generate and to validate, so it takes `"ก"` or `"¹"` for a string with no letter or digit; the spec says
    otherwise, and so does the server (text.has_letter)."""
    if case.meta is None or not case.meta.is_negative_at(ParameterLocation.BODY):
        return True
    if isinstance(case.body, bytes | bytearray):  # raw bytes: no JSON value to check
        return True
    bodies = [body for body in context.operation.body if body.media_type == case.media_type]
    return not any(_as_published(body.raw_schema).is_valid(case.body) for body in bodies)


@cache
def _validator(schema: str) -> Any:
    return jsonschema_rs.validator_for(json.loads(schema))


def _as_published(schema: Any) -> Any:
    """A validator of `schema` with its regexes as written (schemathesis's own has them rewritten)."""
    return _validator(json.dumps(schema, sort_keys=True))


@schemathesis.hook
def map_case(context: Any, case: Case[Any]) -> Case[Any]:
    if _valid(case, ParameterLocation.HEADER) and case.headers:
        _fresh_key_and_current_version(case.headers)
    if _valid(case, ParameterLocation.QUERY) and case.query:
        _known_areas(case.query)
        if isinstance(case.query.get("cursor"), str):
            case.query["cursor"] = _minted(case.query["cursor"], case.path, "updated_since" in case.query)
    if _valid(case, ParameterLocation.BODY) and isinstance(case.body, dict):
        _known_areas(case.body)
        _approvals_a_committee_can_give(case.body, opening=case.method == "POST")
        _received_by_today(case.body)
        _born_by_today(case.body)
        _national_ids_that_check(case.body)
        _a_window_in_order(case.body)
        _years_that_fit_the_horizon(case.body)
        _a_rubric_that_holds_together(case.body)
        _a_round_that_holds_together(case.body)
        targets = case.body.get("targets")
        figures = (
            [case.body, *(t for t in targets if isinstance(t, dict))]
            if isinstance(targets, list)
            else [case.body]
        )
        for figure in figures:
            _a_share_no_larger_than_its_whole(figure, "")
            _a_share_no_larger_than_its_whole(figure, "baseline_")
    return case


@schemathesis.hook
def before_call(context: Any, case: Case[Any], kwargs: dict[str, Any]) -> None:
    """The rules that name the resource in the path, applied once its ids are final (the engine may fill a
    path parameter from the resources it created after `map_case` ran). A key is fresh here too: some
    phases call without `map_case`."""
    for headers in (kwargs.get("headers"), case.headers):
        if headers is not None and "Idempotency-Key" in headers:
            headers["Idempotency-Key"] = str(uuid.uuid4())
    if _valid(case, ParameterLocation.BODY) and isinstance(case.body, dict):
        _a_letter_schemathesis_reads(case.body)
        _an_existing_payee(case.body, case.path_parameters or {})
        _a_project_of_the_funds_province(case.body, case.path_parameters or {})
        _in_the_projects_province(case.body, case.path, case.path_parameters or {})


def _known_areas(values: dict[str, Any]) -> None:
    """An area code is one in the official list (types.py: _known_area), of the level its shape says; in a
    list of items too (an indicator's targets)."""
    for name in AREA_FIELDS:
        code = values.get(name)
        if isinstance(code, str) and code not in _known():
            values[name] = _like(code)
    for nested in values.values():
        for item in nested if isinstance(nested, list) else []:
            if isinstance(item, dict):
                _known_areas(item)


@cache
def _known() -> frozenset[str]:
    return frozenset(_areas())


def _like(code: str) -> str:
    """A known code of the same level as `code` (the same number of digits; a region for a word)."""
    level = [known for known in _areas() if (known.isdigit(), len(known)) == (code.isdigit(), len(code))]
    return _pick(level or (_provinces() if code.isdigit() else list(REGIONS)), code)


def _pick(choices: list[str], seed: str) -> str:
    """One of `choices`, the same for the same seed (so a shrunk failure replays)."""
    return choices[int(hashlib.sha256(seed.encode()).hexdigest(), 16) % len(choices)]


def _fresh_key_and_current_version(headers: Any) -> None:
    """An Idempotency-Key is one request's (the same key with another body is 422, idempotency.py), and an
    edit names the current version (`*`; a stale tag is 412, etag.py)."""
    if "Idempotency-Key" in headers:
        headers["Idempotency-Key"] = str(uuid.uuid4())
    if "If-Match" in headers:
        headers["If-Match"] = "*"


def _minted(seed: str, path: str, ordered_by_update: bool) -> str:
    """A cursor is one its list gave out (pagination.decode_cursor; funds/cursors.py for the append-only
    ledger and history): any position will do."""
    digest = hashlib.sha256(seed.encode()).digest()
    if path == "/v1/audit":  # the chain's own order (gateway/audit/service.py)
        return str(int.from_bytes(digest[:4]))
    if path.startswith("/v1/rounds/") and path.endswith("/items"):  # keyed by (area, criterion)
        return item_cursor(f"{int.from_bytes(digest[:2]) % 100:02d}", "a")
    for positioned in POSITIONED_LISTS:
        if path.endswith("/" + positioned):
            return encode_position(positioned, int.from_bytes(digest[:4]))
    at = datetime(2020, 1, 1, tzinfo=UTC) + timedelta(seconds=int.from_bytes(digest[:4]))
    order: OrderColumn = "updated_at" if ordered_by_update else "created_at"
    return encode_cursor(order, at, uuid.UUID(bytes=digest[:16]))


def _approvals_a_committee_can_give(body: dict[str, Any], *, opening: bool) -> None:
    """A fund's approval rule fits its committee (funds/funds/service.py: _approvals_misfit); a fund opened
    without a rule has the default one. (An edit of one of them alone may conflict with the fund: 409.)"""
    required = body.get("approvals_required", DEFAULT_APPROVALS if opening else None)
    committee = body.get("committee")
    if isinstance(committee, list) and committee and isinstance(required, int | float):
        body["approvals_required"] = min(int(required), len(committee))


def _a_letter_schemathesis_reads(body: dict[str, Any]) -> None:
    """A Thai title the stateful phase copies from one response into the next request (a project's title into
    a milestone's) shows a letter to the server, but not to schemathesis, whose `\\p{L}` is Latin only (see
    filter_case): it would call the request schema-violating. A digit it does read is added."""
    for name, value in body.items():
        if name.endswith("_th") and isinstance(value, str) and value and not re.search(r"[A-Za-z0-9]", value):
            body[name] = value[:280] + " 1"


def _received_by_today(body: dict[str, Any]) -> None:
    """Money is received on a day that has come (contributions/service.py)."""
    received = body.get("received_on")
    if isinstance(received, str) and received > date.today().isoformat():
        body["received_on"] = date.today().isoformat()


def _born_by_today(body: dict[str, Any]) -> None:
    """A person is born on a day that has come (services/common/types.py: BirthDate)."""
    born = body.get("birth_date")
    if isinstance(born, str) and born > date.today().isoformat():
        body["birth_date"] = date.today().isoformat()


def _checked(number: str) -> str:
    digits = re.sub(r"[\s-]", "", number)
    if not re.fullmatch(r"\d{13}", digits):
        return number
    check = (11 - sum(int(d) * (13 - i) for i, d in enumerate(digits[:12])) % 11) % 10
    return digits[:12] + str(check)


def _national_ids_that_check(body: dict[str, Any]) -> None:
    """A national ID's last digit is its check digit (services/common/types.py: national_id_checked)."""
    for name, value in body.items():
        if name.endswith("national_id") and isinstance(value, str):
            body[name] = _checked(value)
        elif name.endswith("national_ids") and isinstance(value, list):
            body[name] = [_checked(item) if isinstance(item, str) else item for item in value]


def _a_window_in_order(body: dict[str, Any]) -> None:
    """A replay's `until` is not before its `since` (webhooks/service.py: UNTIL_BEFORE_SINCE)."""
    since, until = body.get("since"), body.get("until")
    if isinstance(since, str) and isinstance(until, str):
        try:
            if datetime.fromisoformat(until) < datetime.fromisoformat(since):
                body["since"], body["until"] = until, since
        except ValueError:
            pass


def _a_share_no_larger_than_its_whole(figure: dict[str, Any], prefix: str) -> None:
    """A percent's numerator is at most its denominator (indicators/figures.py: check_share), which no JSON
    Schema can say: the two are swapped when the numerator is the larger."""
    numerator, denominator = figure.get(f"{prefix}numerator"), figure.get(f"{prefix}denominator")
    if isinstance(numerator, bool) or isinstance(denominator, bool):
        return
    if (
        isinstance(numerator, int | float)
        and isinstance(denominator, int | float)
        and numerator > denominator
    ):
        figure[f"{prefix}numerator"], figure[f"{prefix}denominator"] = denominator, numerator


def _years_that_fit_the_horizon(body: dict[str, Any]) -> None:
    """A plan's years follow its horizon (strategies/service.py: _end_year): short, one year; medium, three
    to five; long, to the strategy's horizon (the end left out)."""
    horizon, start, end = body.get("horizon"), body.get("start_fiscal_year"), body.get("end_fiscal_year")
    if not isinstance(start, int) or isinstance(start, bool):
        return
    if horizon == "short" and "end_fiscal_year" in body:
        body["end_fiscal_year"] = start
    elif horizon == "medium":
        body["start_fiscal_year"] = start = min(start, 2695)
        body["end_fiscal_year"] = start + 2 + (end % 3 if isinstance(end, int) else 0)
    elif horizon == "long":
        body.pop("end_fiscal_year", None)


def _a_rubric_that_holds_together(body: dict[str, Any]) -> None:
    """A framework's criterion codes appear once, and a criterion's descriptors are one per level or none
    (assessment/frameworks/service.py: _check_rubric)."""
    criteria, levels = body.get("criteria"), body.get("levels")
    if not isinstance(criteria, list):
        return
    for index, criterion in enumerate(criteria):
        if not isinstance(criterion, dict):
            continue
        if isinstance(criterion.get("code"), str):
            criterion["code"] = f"{criterion['code'][:60]}_{index}"
        described = criterion.get("descriptors")
        if isinstance(described, list) and isinstance(levels, list) and len(described) != len(levels):
            criterion["descriptors"] = described[: len(levels)] if len(described) > len(levels) else []


def _a_round_that_holds_together(body: dict[str, Any]) -> None:
    """A round closes on or after it opens and scores areas of its level inside its own (rounds/service.py);
    a score is a level of the framework's scale (two levels at least) resting on evidence plans knows
    (rounds/scoring.py: unknown evidence is 422 by design)."""
    opens, closes = body.get("opens_on"), body.get("closes_on")
    if isinstance(opens, str) and isinstance(closes, str) and closes < opens:
        body["opens_on"], body["closes_on"] = closes, opens
    if "scored_level" in body or "team_id" in body:
        body.pop("areas", None)
    if "actor_kind" in body:  # an outcome: its evidence and lessons are checked, unknown ones refused
        body.pop("evidence", None)
        body.pop("lesson_ids", None)
    level = body.get("level")
    if isinstance(level, int) and not isinstance(level, bool):
        body["level"] = min(level, 2)
        body.pop("evidence", None)


def _an_existing_payee(body: dict[str, Any], path: dict[str, Any]) -> None:
    """A fund payee is another fund that exists (disbursements/service.py: _payee)."""
    if isinstance(body.get("to_fund_id"), str) and FUNDS:
        others = [fund_id for fund_id in FUNDS if fund_id != str(path.get("fund_id"))]
        body["to_fund_id"] = _pick(others, body["to_fund_id"])


def _a_project_of_the_funds_province(body: dict[str, Any], path: dict[str, Any]) -> None:
    """A disbursement serves a project that exists, of the fund's province (disbursements/projects.py): one
    read from the API, or none when the province has no project yet."""
    if not isinstance(body.get("project_id"), str) or not GATEWAY or "fund_id" not in path:
        return
    projects = _projects_of_fund(str(path["fund_id"]))
    if projects:
        body["project_id"] = _pick(projects, body["project_id"])
    else:
        del body["project_id"]


@cache
def _projects_of_fund(fund_id: str) -> list[str]:
    fund = httpx.get(f"{GATEWAY}/v1/funds/{fund_id}", timeout=10)
    if fund.status_code != 200:
        return []
    province = str(fund.json()["area_code"])[:2]
    listed = httpx.get(f"{GATEWAY}/v1/projects", params={"area": province, "limit": 200}, timeout=10)
    return (
        [str(project["id"]) for project in listed.json().get("items", [])]
        if listed.status_code == 200
        else []
    )


def _in_the_projects_province(body: dict[str, Any], path: str, parameters: dict[str, Any]) -> None:
    """An activity happens in its project's province or one of its tambons (plans/projects/service.py:
    _check_place): the project's province is read from the API."""
    if not path.endswith("/activities") or not isinstance(body.get("area_code"), str) or not GATEWAY:
        return
    province = _province_of_project(str(parameters.get("project_id")))
    if province is not None:
        tambons = [code for code in _areas() if len(code) == 6 and code.startswith(province)]
        body["area_code"] = _pick([province, *tambons], body["area_code"])


@cache
def _province_of_project(project_id: str) -> str | None:
    answer = httpx.get(f"{GATEWAY}/v1/projects/{project_id}", timeout=10)
    province: str | None = answer.json().get("province_code") if answer.status_code == 200 else None
    return province
