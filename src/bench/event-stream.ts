import http from 'node:http';

/** An open GET /api/v1/events, read as a browser's EventSource reads it. */
export interface EventStream {
  /** Calls `listener` with each event's name as it arrives; returns the unsubscribe. */
  on(listener: (event: string) => void): () => void;
  close(): void;
}

/**
 * Opens the firm's event stream over a socket of its own, with the user's bearer token,
 * and resolves once the server has sent its first block (`retry:`): from then on every
 * change in the firm is heard. Blocks are parsed as the server-sent events format says:
 * separated by a blank line, `event:` naming the event, `data:` making it one to
 * dispatch, lines starting with `:` ignored.
 */
export function openEventStream(api: string, token: string): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const listeners = new Set<(event: string) => void>();
    const request = http.get(
      `${api}/events`,
      { headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` }, agent: false },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`GET /events answered ${res.statusCode}`));
          return;
        }
        let buffer = '';
        // A CR that ends a chunk may be the first half of a CRLF: it waits for the next chunk.
        let carry = '';
        let opened = false;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const text = carry + chunk;
          carry = text.endsWith('\r') ? '\r' : '';
          buffer += text.slice(0, text.length - carry.length).replace(/\r\n?/g, '\n');
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let event = 'message';
            let dispatch = false;
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:')) dispatch = true;
            }
            if (dispatch) for (const listener of [...listeners]) listener(event);
          }
          if (!opened) {
            opened = true;
            resolve(stream);
          }
        });
        res.on('error', () => undefined); // the stream cut by close(): nothing to report
      },
    );
    request.on('error', (error) => reject(error));
    const stream: EventStream = {
      on(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      close() {
        listeners.clear();
        request.destroy();
      },
    };
  });
}
