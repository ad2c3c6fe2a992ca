// The cordon HTTP API (docs/api.yaml) as the pages use it. The API key lives in
// sessionStorage (gone when the tab closes) and goes out as `Authorization: Bearer KEY`.

const KEY = 'cordon.apikey';

export function apiKey(): string {
  return sessionStorage.getItem(KEY) ?? '';
}

export function setApiKey(k: string): void {
  if (k) sessionStorage.setItem(KEY, k);
  else sessionStorage.removeItem(KEY);
}

/** An answer other than 2xx, with the server's error code and message. */
export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
  ) {
    super(message);
  }
  /** The text a page shows. */
  describe(): string {
    if (this.status === 401) return `${this.message} - enter the key in the API key field at the top.`;
    if (this.status === 0) return this.message;
    return `${this.message} (HTTP ${this.status}${this.code ? `, ${this.code}` : ''})`;
  }
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.describe();
  return e instanceof Error ? e.message : String(e);
}

function authHeaders(extra: Record<string, string> = {}): Record<string, string> {
  const k = apiKey();
  return k ? { ...extra, Authorization: `Bearer ${k}` } : extra;
}

function toError(status: number, text: string): ApiError {
  try {
    const e = JSON.parse(text).error;
    if (e && typeof e.message === 'string') return new ApiError(status, e.code ?? '', e.message);
  } catch {
    /* not the JSON error shape: fall through */
  }
  return new ApiError(status, '', text.trim().slice(0, 300) || `HTTP ${status}`);
}

export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function call<T>(method: string, path: string, body?: BodyInit, ctype?: string): Promise<T> {
  let r: Response;
  try {
    r = await fetch(path, {
      method,
      headers: authHeaders(ctype ? { 'Content-Type': ctype } : {}),
      body,
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'network', `cannot reach the server: ${(e as Error).message}`);
  }
  const text = await r.text();
  if (!r.ok) throw toError(r.status, text);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(r.status, 'bad_json', `the server's answer to ${path} is not JSON`);
  }
}

export const getJSON = <T>(path: string): Promise<T> => call<T>('GET', path);
export const postJSON = <T>(path: string, body: unknown): Promise<T> =>
  call<T>('POST', path, JSON.stringify(body), 'application/json');
export const postText = <T>(path: string, text: string, ctype: string): Promise<T> => call<T>('POST', path, text, ctype);

export interface XhrResult {
  status: number;
  text: string;
  header(name: string): string | null;
}

/**
 * POST with upload and download progress (fetch reports neither). onProgress gets the phase
 * and a fraction in [0,1], or -1 when the size is unknown.
 */
export function postWithProgress(
  path: string,
  body: string | Blob,
  ctype: string,
  onProgress: (phase: 'upload' | 'wait' | 'download', fraction: number) => void,
): Promise<XhrResult> {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('POST', path);
    x.setRequestHeader('Content-Type', ctype);
    const k = apiKey();
    if (k) x.setRequestHeader('Authorization', `Bearer ${k}`);
    x.upload.onprogress = (e) => onProgress('upload', e.lengthComputable ? e.loaded / e.total : -1);
    x.upload.onload = () => onProgress('wait', 1);
    x.onprogress = (e) => onProgress('download', e.lengthComputable ? e.loaded / e.total : -1);
    x.onerror = () => reject(new ApiError(0, 'network', 'the upload failed: cannot reach the server'));
    x.onload = () => {
      if (x.status < 200 || x.status >= 300) {
        reject(toError(x.status, x.responseText));
        return;
      }
      resolve({ status: x.status, text: x.responseText, header: (n) => x.getResponseHeader(n) });
    };
    x.send(body);
  });
}

// ---- response shapes (the fields the pages read) ------------------------------------------

export interface TokenStep {
  query: string;
  matched: string | null;
  how: string;
  similarity: number;
  weight: number;
}
export interface FeatureStep {
  feature: string;
  delta: number;
  detail: string;
}
export type Step = TokenStep | FeatureStep;

export interface Entity {
  type: string;
  source: string;
  source_id: string;
  listed_on: string | null;
  gender?: string | null;
  names: { name: string; kind: string; given?: string; family?: string; script?: string }[];
  identifiers: { type: string; label?: string; value: string; country?: string }[];
  birth_dates: string[];
  birth_places: string[];
  nationalities: string[];
  citizenships: string[];
  addresses: { text: string; country: string }[];
  programs: string[];
  regimes: string[];
  linked_to: unknown[];
  remarks: string | null;
  [k: string]: unknown;
}

export interface Hit {
  id: string;
  source: string;
  source_id: string;
  name: string;
  matched_name: string;
  matched_kind: string;
  type: string;
  score: number;
  name_score: number;
  programs: string[];
  regimes: string[];
  listed_on: string | null;
  explanation: Step[];
  entity?: Entity;
}

export interface ScreenResult {
  query: { name: string; normalized: string; algorithm: string; threshold: number };
  results: Hit[];
  candidates: number;
}

export interface Alert {
  id: number;
  counterparty: { ref: string; name: string; type?: string; dob?: string; country?: string; id?: string };
  source: string;
  source_id: string;
  listed_name: string;
  matched_name: string;
  score: number;
  status: string;
  outcome: string | null;
  created_at: string;
  run: number | null;
  entity?: Entity;
  decisions?: { who: string; outcome: string; reason: string; second_approver: string | null; decided_at: string }[];
}
