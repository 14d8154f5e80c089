// Live connection shared by the phone, the board and the facilitator's page.
// Joins the workshop on every connect with the last sequence number seen, applies the catch-up
// (missed events or a snapshot), then live updates in order; a gap triggers a new catch-up.
// `io` is the Socket.IO client, loaded by the page as a classic script before the modules.

export function makeClientId() {
  // crypto.getRandomValues works over plain HTTP on a venue network (randomUUID does not).
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function connectLive({ code, role, key, onSnapshot, onEvent, onStatus, contiguous }) {
  let lastSeq = -1;
  let syncing = true;
  let pending = [];
  let needSnapshot = false;
  const socket = window.io({
    auth: (cb) => cb({ code, role, key, since: lastSeq }),
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
    timeout: 8000,
  });

  function apply(message, fromSync) {
    if (message.seq <= lastSeq) return;
    if (contiguous && !fromSync && lastSeq >= 0 && message.seq !== lastSeq + 1) {
      resync();
      return;
    }
    lastSeq = message.seq;
    if (message.kind === "refresh") {
      // The server asks for a redraw from scratch (after an undo).
      lastSeq = -1;
      if (syncing) needSnapshot = true;
      else resync();
      return;
    }
    onEvent(message);
  }

  function handleSync(sync) {
    if (sync.mode === "snapshot") {
      lastSeq = sync.seq;
      onSnapshot(sync.snapshot);
    } else {
      // The server's list is complete for this client, even where numbers skip.
      for (const message of sync.events) apply(message, true);
      if (sync.seq > lastSeq) lastSeq = sync.seq;
    }
    syncing = false;
    const buffered = pending;
    pending = [];
    buffered.sort((a, b) => a.seq - b.seq).forEach((m) => apply(m, false));
    if (needSnapshot) {
      needSnapshot = false;
      lastSeq = -1;
      resync();
    }
  }

  function resync() {
    if (syncing) return;
    syncing = true;
    socket.timeout(8000).emit("sync", { since: lastSeq }, (err, reply) => {
      syncing = false;
      if (err || !reply || !reply.ok) {
        socket.disconnect().connect();
        return;
      }
      handleSync(reply);
    });
  }

  socket.on("sync", handleSync);
  socket.on("update", (message) => {
    if (syncing) pending.push(message);
    else apply(message, false);
  });
  socket.on("connect", () => onStatus && onStatus("online"));
  socket.on("disconnect", () => {
    syncing = true;
    onStatus && onStatus("offline");
  });
  socket.on("connect_error", (err) => onStatus && onStatus("offline", err && err.message));
  return socket;
}
