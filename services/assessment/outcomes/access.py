"""Who may do what with an outcome.

- A member of an outcome team drafts and edits outcomes where the team is assigned (an area covering the
  outcome's); the team's lead records the independent substantiation and publishes.
- A published outcome is public; until then it is the team's own (404 to anyone else).
"""
