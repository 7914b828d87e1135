import { defineDemoSuite } from "../support/demo-suite.js";

// The demo page over server-sent events (POST /v1/stream, GET /v1/streams/{id} to resume, DELETE to abort).
defineDemoSuite("sse");
