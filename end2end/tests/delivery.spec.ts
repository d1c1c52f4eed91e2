import { test, expect } from "./fixtures";

// The release build as a browser gets it: the wasm, script and style
// sheet under content-hashed names, sent compressed as asked and kept for
// a year; pages compressed too and never stored.

test("static files and pages travel compressed, and only hashed files are cached", async ({ request }) => {
  const page = await request.get("/");
  const html = await page.text();
  const names = {
    wasm: html.match(/\/pkg\/hindsight\.[\w-]{22}\.wasm/)?.[0],
    js: html.match(/\/pkg\/hindsight\.[\w-]{22}\.js/)?.[0],
    css: html.match(/\/pkg\/hindsight\.[\w-]{22}\.css/)?.[0],
  };
  expect(names.wasm, html.slice(0, 2000)).toBeTruthy();
  expect(names.js).toBeTruthy();
  expect(names.css).toBeTruthy();

  for (const [kind, path] of Object.entries(names)) {
    const plain = await request.get(path!, { headers: { "Accept-Encoding": "identity" } });
    expect(plain.status(), path).toBe(200);
    expect(plain.headers()["content-encoding"], path).toBeUndefined();
    const size = (await plain.body()).length;
    for (const encoding of ["br", "gzip"]) {
      const packed = await request.get(path!, { headers: { "Accept-Encoding": encoding } });
      expect(packed.status(), `${path} ${encoding}`).toBe(200);
      expect(packed.headers()["content-encoding"], `${path} ${encoding}`).toBe(encoding);
      expect(packed.headers()["cache-control"], path).toBe("public, max-age=31536000, immutable");
      expect(packed.headers()["vary"] ?? "", path).toMatch(/accept-encoding/i);
      // Playwright decodes: the body is the file itself.
      const body = await packed.body();
      expect(body.length, `${path} ${encoding}`).toBe(size);
      if (kind === "wasm") expect([...body.subarray(0, 4)]).toEqual([0, 0x61, 0x73, 0x6d]);
    }
  }

  for (const path of ["/", "/search?q=connection%20pool", "/action-items", "/api/v1/action-items"]) {
    const answer = await request.get(path, { headers: { "Accept-Encoding": "br, gzip" } });
    expect(answer.status(), path).toBe(200);
    expect(answer.headers()["content-encoding"], path).toBe("br");
    expect(answer.headers()["cache-control"], path).toBe("private, no-store");
  }
});
