"""Free-text request fields the funds service shares (purposes, reasons, references)."""

from __future__ import annotations

from services.common.types import Label, Paragraph, Sentence

Purpose = Sentence
Reason = Sentence
Note = Paragraph
Reference = Label
