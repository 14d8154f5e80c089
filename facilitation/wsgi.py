"""The WSGI application for a production server, e.g. one gunicorn process with threads:

    ASYNC_MODE=threading gunicorn --workers 1 --threads 100 --bind 127.0.0.1:5001 \
        facilitation.wsgi:app

One worker per gunicorn process (Socket.IO keeps connection state in the process); run several
such processes behind a balancer with MESSAGE_QUEUE set (docs/deploying.md).
"""

import atexit

from facilitation import create_app

app = create_app()
app.extensions["clusterer"].start()
atexit.register(app.extensions["clusterer"].stop)
