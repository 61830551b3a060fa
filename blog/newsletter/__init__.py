"""Mail to e-mail followers: each new article once to per-post subscribers,
the week's articles to weekly ones.

- schedule.py: what is due (an article that became public, the week's
  digest), checked every minute by the queue's sweep and woken at once when
  an article is published now or for a set time.
- sending.py: one mailing to its recipients, paced, each delivery recorded
  the moment the server took it, so a restarted worker sends the rest only.
- compose.py: the mail itself (HTML with inline CSS and a text part) and
  its list headers (RFC 2369, RFC 8058).
"""
