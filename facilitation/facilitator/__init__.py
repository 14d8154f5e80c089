"""What the facilitator does live: curating ideas and themes, moving the room through its phases,
recording paper cards and ballots. Its pages are served with the board's (`facilitation/board/`).
"""
