// Run by tests/node/tick-shapes.test.js in a child process with --allow-natives-syntax --expose-gc:
// schedules ticks, lets old-space GCs collect what they can, schedules more, then prints the state of
// each property definition of process.nextTick's tick-object literal, from V8's %DebugPrint (stdout).
// Argument "keep": host-node's keepTickObjectShapes() runs first.
import { keepTickObjectShapes } from '../../../host-node/lib/tick-shapes.js';

if (process.argv[2] === 'keep' && !(await keepTickObjectShapes())) throw new Error('the tick object is not the expected literal');
const noop = () => {};
const ticks = (n) => new Promise((resolve) => { for (let i = 0; i < n; i++) process.nextTick(noop); process.nextTick(resolve); });
await ticks(100);
for (let i = 0; i < 5; i++) { globalThis.gc(); await ticks(1); } // V8 keeps unused shapes for 2 old-space GCs
await ticks(100);
new Function('f', '%DebugPrint(f)')(process.nextTick); // the module itself parses without the flag
