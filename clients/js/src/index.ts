export type {
  AssistantMessagePart,
  ChatMessage,
  ChatRequest,
  ChunkErrorInfo,
  ChunkType,
  ContentChunk,
  ContentPart,
  DoneChunk,
  ErrorChunk,
  FinishReason,
  ReasoningChunk,
  ReasoningState,
  StreamChunk,
  ToolCallChunk,
  ToolCallDelta,
  UnknownChunk,
  Usage,
} from "./types.js";
export type {
  AIStream,
  CommonStreamOptions,
  ReconnectInfo,
  ResumeOptions,
  StreamChatOptions,
  WebSocketConstructor,
  WebSocketLike,
} from "./options.js";
export { AIStreamError, isAIStreamError, type AIStreamErrorInit, type AIStreamErrorKind } from "./errors.js";
export { streamChat } from "./stream.js";
export { resumeChat, type ResumeChatOptions } from "./sse.js";
export {
  AIStreamSocket,
  connect,
  type SocketOptions,
  type SocketStatus,
  type SocketStreamOptions,
} from "./ws.js";
export {
  Accumulator,
  accumulate,
  accumulateStream,
  assistantMessage,
  type Accumulated,
  type AccumulatedPart,
  type AccumulatedToolCall,
} from "./accumulate.js";
export { parsePartialJson } from "./partial-json.js";
export {
  AIStreamStore,
  defaultFrameScheduler,
  type AIStreamState,
  type AIStreamStatus,
  type AIStreamStoreOptions,
  type FrameScheduler,
} from "./store.js";
