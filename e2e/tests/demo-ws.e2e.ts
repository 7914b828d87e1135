import { defineDemoSuite } from "../support/demo-suite.js";

// PENDING until the gateway serves GET /v1/ws (the multiplexed WebSocket endpoint). Enable it by
// renaming this file to demo-ws.e2e.ts (the runner picks up tests/**/*.e2e.ts only).
//
// The same tests as over SSE, with the page's transport toggle on "WebSocket": the client sends
// {"type":"start","stream":…,"request":{…}}, Stop sends {"type":"abort","stream":…} (the server's
// aistream_aborts_total must rise, any cause), and "Drop connection" closes the socket with code 4000
// so the client reopens it and sends {"type":"resume","stream":…,"after":<last seq>} — the test
// checks that exactly one resume frame was sent, with the seq shown at the drop, and that the final
// text equals an undisturbed run. The server must keep a resumable stream running when its socket
// closes (no abort counted).
defineDemoSuite("ws");
