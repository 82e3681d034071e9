// The server probe's half inside the learner's server (see server-probe.ts,
// which hands this file to Node as a `data:` URL preload, so the sandbox needs
// no grant for it). It runs before the learner's code and needs nothing from
// it. Two jobs, both over the IPC channel the runner opened (fd 3):
//
// - the clock: the grader can move the server's wall clock forward (Date.now()
//   and `new Date()`), so a check can see what the server does with a token
//   whose lifetime has passed without waiting an hour. Until the first move
//   nothing is replaced: a server that is never moved runs on the real Date.
// - the bind: every address a net.Server (HTTP, HTTPS) starts listening on is
//   reported from inside the process, so the grader learns that a server
//   listens on all interfaces without sending a packet to a non-loopback
//   address.
//
// The channel is unref'd: it never keeps the server alive. A message that
// cannot be sent any more (the grader is gone) is dropped, never thrown into
// the learner's process.
import { subscribe } from 'node:diagnostics_channel';

const send = typeof process.send === 'function' ? process.send.bind(process) : undefined;

if (send && process.channel) {
  const post = (message) => {
    if (process.connected) send({ mcpLab: 'probe', ...message }, undefined, undefined, () => undefined);
  };

  let offsetMs = 0;
  let moved = false;
  const RealDate = Date;
  const realNow = Date.now;
  const shiftedNow = () => realNow() + offsetMs;

  // `new Date()` without arguments is "now"; with arguments it names a moment and is left alone.
  // Date.now lives on the real constructor, which the proxy forwards to, so one patch covers both.
  const moveClock = () => {
    if (moved) return;
    moved = true;
    RealDate.now = shiftedNow;
    globalThis.Date = new Proxy(RealDate, {
      construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [shiftedNow()] : args, newTarget),
      apply: () => new RealDate(shiftedNow()).toString(),
    });
  };

  process.on('message', (message) => {
    if (message?.mcpLab !== 'probe' || message.kind !== 'set-clock' || !Number.isFinite(message.offsetMs)) return;
    offsetMs = message.offsetMs;
    moveClock();
    post({ kind: 'clock', offsetMs });
  });

  // Published by Node once a server's listen() has succeeded, before its 'listening' event
  // (and so before any "listening on …" line the server prints in its callback).
  subscribe('tracing:net.server.listen:asyncEnd', ({ server }) => {
    const address = server?.address?.();
    if (typeof address === 'string') post({ kind: 'listening', address, family: 'pipe' });
    else if (address) post({ kind: 'listening', address: address.address, family: address.family, port: address.port });
  });

  process.channel.unref();
  post({ kind: 'attached' });
}
