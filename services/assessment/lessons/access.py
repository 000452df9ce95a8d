"""Who may do what with a lesson.

- A member of a core lessons team drafts and edits lessons where the team is assigned (an area covering the
  lesson's); the team's lead publishes them.
- A published lesson is public (a partner system reads inside its grants); a draft is seen by its team's
  members only — to anyone else it does not exist (404), in a list as in a read.
"""
