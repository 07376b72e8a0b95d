import v8 from 'node:v8';

/**
 * Imported first by the entry point, before any other module runs: turns off V8's allocation-site
 * pretenuring for the whole process.
 *
 * Pretenuring lets V8 allocate the objects of an allocation site straight in the old generation
 * once most of them have survived a scavenge. Under a steady load of progress writes, 9 process
 * starts out of 116 had it kick in for sites on the request path while warming up. From then
 * until the process exited, most of Node's per-request HTTP and stream objects survived their
 * scavenges and were promoted: some 2 MB a scavenge instead of a few kilobytes, three times the
 * scavenge time, twice the full collections, and about a tenth less throughput. Without
 * pretenuring, none of 80 starts went that way; objects that do live long reach the old
 * generation through scavenges instead.
 */
v8.setFlagsFromString('--no-allocation-site-pretenuring');
