package io.aistream.bench.chart; final class Placeholder {}
