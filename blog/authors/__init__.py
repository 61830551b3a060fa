"""Authors as readers meet them: their photo, bio and links (profiles.py)
and the studio page where they write them (blog/studio/profile.py)."""
