/** A JSON call to the server under test, timed from the request to the last byte of the answer. */
export async function callApi(
  api: string,
  token: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${api}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  return { status: response.status, json: text ? JSON.parse(text) : null, ms };
}

/** Like callApi, but anything but 2xx stops the bench with the server's answer. */
export async function callOk(api: string, token: string, method: 'GET' | 'POST', path: string, body?: unknown) {
  const result = await callApi(api, token, method, path, body);
  if (result.status < 200 || result.status > 299) {
    throw new Error(`${method} ${path} answered ${result.status}: ${JSON.stringify(result.json).slice(0, 500)}`);
  }
  return result;
}
