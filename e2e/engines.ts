import { ENGINE_NAMES, type EngineName } from './driver/index.js';

/** The first of the suite's ports: Chromium's server; Firefox uses +1, WebKit +2. */
export const BASE_PORT = Number(process.env.E2E_PORT ?? 4391);

/** Each engine's suite has its own server port, so a server of another run is never reused. */
export const portFor = (engine: EngineName) => BASE_PORT + ENGINE_NAMES.indexOf(engine);

/** `E2E_ENGINES=chromium,firefox` narrows a run; default: all three. */
export function selectedEngines(value = process.env.E2E_ENGINES): EngineName[] {
  if (!value) return [...ENGINE_NAMES];
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !ENGINE_NAMES.includes(name as EngineName));
  if (unknown.length) {
    throw new Error(
      `E2E_ENGINES: unknown engine ${unknown.join(', ')} (use ${ENGINE_NAMES.join(', ')})`,
    );
  }
  return names as EngineName[];
}
