package io.aistream.bench.load; final class Placeholder {}
