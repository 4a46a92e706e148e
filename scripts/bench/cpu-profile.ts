import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileSummary {
  /** Milliseconds the main thread was not idle. */
  readonly busyMs: number;
  readonly idleMs: number;
  /** Self time by where the code lives: a package, a folder of ours, Node's internals, native code, GC. */
  readonly selfByArea: readonly (readonly [string, number])[];
  /** Time with at least one frame of the area on the stack (each sample counted once per area). */
  readonly totalByArea: readonly (readonly [string, number])[];
  readonly selfByFunction: readonly (readonly [string, number])[];
  /** For the native functions with the most self time: the nearest caller outside Node and native code. */
  readonly nativeCallers: readonly (readonly [string, number])[];
}

function areaOf(url: string, functionName: string, root: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : `native ${functionName}`;
  if (url.startsWith('node:')) return 'node: internals';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (packageMatch) return packageMatch[1]!;
  const own = relative(root, path);
  return own.startsWith('..') ? path : own.replace(/^dist\//, '').split('/').slice(0, 3).join('/');
}

const sorted = (m: Map<string, number>, top: number) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);

/** Where the main thread's time goes in a `node --cpu-prof` file (bcrypt and HMAC run on other threads). */
export function summarizeCpuProfile(file: string, root: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const selfByArea = new Map<string, number>();
  const totalByArea = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  const nativeCallers = new Map<string, number>();
  let busyMs = 0;
  let idleMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idleMs += ms;
      return;
    }
    busyMs += ms;
    const area = areaOf(url, functionName, root);
    selfByArea.set(area, (selfByArea.get(area) ?? 0) + ms);
    const name = `${functionName || '(anonymous)'}${url === '' ? '' : ` ${url.startsWith('node:') ? url : area}:${lineNumber + 1}`}`;
    selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (frame.functionName === '(root)') continue;
      seen.add(areaOf(frame.url, frame.functionName, root));
    }
    for (const a of seen) totalByArea.set(a, (totalByArea.get(a) ?? 0) + ms);
    if (url === '' && !functionName.startsWith('(')) {
      let caller = '(no caller outside Node: a callback from the event loop)';
      for (let at = parent.get(id); at !== undefined; at = parent.get(at)) {
        const frame = byId.get(at)!.callFrame;
        if (frame.url === '' || frame.url.startsWith('node:')) continue;
        caller = `${frame.functionName || '(anonymous)'} ${areaOf(frame.url, frame.functionName, root)}:${frame.lineNumber + 1}`;
        break;
      }
      const key = `${functionName} <- ${caller}`;
      nativeCallers.set(key, (nativeCallers.get(key) ?? 0) + ms);
    }
  });
  return { busyMs, idleMs, selfByArea: sorted(selfByArea, top), totalByArea: sorted(totalByArea, top + 10), selfByFunction: sorted(selfByFunction, top), nativeCallers: sorted(nativeCallers, top) };
}
