// A refusal sent before the request's body was read must reach a client that is still sending that body.
//
// Fastify answers a body over the limit (413) or of the wrong type (415) without reading it, and then closes
// the connection; so does Node after any answer when the client asked for `Connection: close`. Closing a
// socket whose received bytes were never read makes the kernel reset the connection (RST), and a client
// still writing its body then gets EPIPE or ECONNRESET, often before it has read the answer. Web servers
// close such connections in two steps (nginx's "lingering close", Apache's lingering_close): send the answer
// and a FIN, go on reading and discarding what the client still sends, and close once it has closed its
// side or after a time limit. This module does that for the requests whose body was not read.

/** The longest time a closing connection keeps reading and discarding a client's unread body. */
export const DEFAULT_LINGER_MS = 5000;

const lingerMsOf = new WeakMap(); // socket -> its time limit, set once the close must linger

/**
 * Called with every error answer (the requests refused before their body was read are among them): when
 * the request's body is not all read, the connection, if it then closes, closes by lingering. Cheap when
 * the body was read or there was none (`complete` is then true by the time an answer goes out).
 */
export function lingerIfUnread(request, lingerMs = DEFAULT_LINGER_MS) {
  const socket = request.raw.socket;
  if (request.raw.complete || !socket || lingerMsOf.has(socket)) return;
  lingerMsOf.set(socket, lingerMs);
  socket.destroySoon = lingeringClose; // what Node's HTTP server calls once the last answer is written
}

/** socket.destroySoon of a connection with unread bytes: FIN after the answer, read the rest, then close. */
function lingeringClose() {
  if (this.destroyed) return;
  if (this.writable) this.end();
  const close = () => this.destroy();
  const timer = setTimeout(close, lingerMsOf.get(this));
  this.once('end', close); // the client closed its side: everything it sent was read
  this.once('close', () => clearTimeout(timer));
  this.resume(); // Node's parser discards the rest of a body whose request was dumped
}
