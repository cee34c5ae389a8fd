/// <reference path="./prom-client-modules.d.ts" />
/**
 * @module metrics/prom-client — prom-client's metric classes, each from its own module. The package's index also
 * loads what DQS never calls (its default process metrics with @opentelemetry/api, Summary with tdigest, the push
 * gateway, the cluster aggregator), and a bundler keeps all of it, the package being CommonJS: 53 KiB of the Lambda
 * bundle. The types are the package's own.
 */
import type * as promClient from 'prom-client'
import CounterModule from 'prom-client/lib/counter.js'
import GaugeModule from 'prom-client/lib/gauge.js'
import HistogramModule from 'prom-client/lib/histogram.js'
import RegistryModule from 'prom-client/lib/registry.js'

export const Counter = CounterModule as typeof promClient.Counter
export type Counter<T extends string = string> = promClient.Counter<T>
export const Gauge = GaugeModule as typeof promClient.Gauge
export type Gauge<T extends string = string> = promClient.Gauge<T>
export const Histogram = HistogramModule as typeof promClient.Histogram
export type Histogram<T extends string = string> = promClient.Histogram<T>
export const Registry = RegistryModule as typeof promClient.Registry
export type Registry = promClient.Registry
