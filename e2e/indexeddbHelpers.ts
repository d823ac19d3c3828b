import { expect, test, type APIRequestContext } from '@playwright/test';
import type { Tab } from './driver/index.js';

/** A fresh collector session (and, through it, a fresh database name in the page). */
export const newSid = (label: string) =>
  `idb-${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

export interface CollectorStats {
  requests: number;
  received: number;
  unique: number;
  duplicates: number;
  rejected: number;
}

export async function collectorStats(request: APIRequestContext, sid: string) {
  return (await (await request.get(`/stats?sid=${sid}`)).json()) as CollectorStats;
}

/** The `k` payload keys of every unique event the collector accepted. */
export async function deliveredKeys(request: APIRequestContext, sid: string): Promise<string[]> {
  const events = (await (await request.get(`/events?sid=${sid}`)).json()) as {
    payload?: { k?: string };
  }[];
  return events.map((e) => String(e.payload?.k));
}

export async function setFault(request: APIRequestContext, sid: string, fault: object) {
  await request.post(`/fault?sid=${sid}`, { data: fault });
}

/** Keys `run:0` … `run:n-1`. */
export const keys = (run: string, n: number, from = 0) =>
  Array.from({ length: n - from }, (_, i) => `${run}:${from + i}`);

/** Waits until the collector has `expected` unique events, then checks they are exactly those. */
export async function expectDelivered(
  request: APIRequestContext,
  sid: string,
  expected: string[],
  timeout = 30_000,
) {
  await expect
    .poll(async () => (await collectorStats(request, sid)).unique, {
      timeout,
      intervals: [100, 250, 500],
    })
    .toBeGreaterThanOrEqual(expected.length);
  const got = await deliveredKeys(request, sid);
  expect(new Set(got).size).toBe(got.length);
  expect(got.slice().sort()).toEqual(expected.slice().sort());
  return collectorStats(request, sid);
}

/** Opens the app page and waits until its script ran (and logged `n` events, if asked). */
export async function openApp(tab: Tab, query: string) {
  await tab.goto(`/e2e/idb.html?${query}`);
  await tab.waitFor(() => (window as { logged?: boolean }).logged === true);
}

/** The page's sink stats (`window.sinkStats()` of idb.html). */
export const sinkStats = (tab: Tab) => tab.evaluate(() => (window as any).sinkStats());

type Stats = { dropped: Record<string, number>; [k: string]: unknown };
export const droppedTotal = (stats: Stats | null | undefined) =>
  stats ? Object.values(stats.dropped).reduce((a, b) => a + b, 0) : 0;

/** A reporter of one CI log line per scenario: `[<suite> e2e] <engine> <scenario>: k=v …`. */
export const reportFor =
  (suite: string) =>
  (scenario: string, numbers: Record<string, unknown>): void => {
    const text = Object.entries(numbers)
      .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(' ');
    console.log(`[${suite} e2e] ${test.info().project.name} ${scenario}: ${text}`);
  };

/** One line per scenario in the CI log. */
export const report = reportFor('indexeddb');
