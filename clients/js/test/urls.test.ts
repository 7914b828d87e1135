import { describe, expect, it } from "vitest";
import { defaultStreamUrl, toWebSocketUrl } from "../src/internal/urls.js";

describe("URLs", () => {
  it("a stream's URL sits next to the POST endpoint", () => {
    expect(defaultStreamUrl("http://h/v1/stream", "st_1")).toBe("http://h/v1/streams/st_1");
    expect(defaultStreamUrl("/v1/stream?x=1", "st 2")).toBe("/v1/streams/st%202");
    expect(defaultStreamUrl("/api/chat/", "a")).toBe("/api/chat/streams/a");
  });

  it("the WebSocket URL of an endpoint", () => {
    expect(toWebSocketUrl("http://h:8080/v1/stream")).toBe("ws://h:8080/v1/ws");
    expect(toWebSocketUrl("https://h/v1/stream?k=1")).toBe("wss://h/v1/ws?k=1");
    expect(toWebSocketUrl("wss://h/v1/ws")).toBe("wss://h/v1/ws");
    expect(() => toWebSocketUrl("/v1/stream")).toThrow(TypeError); // no location in Node
  });
});
