import type { ItemRef, PackageView } from '../source/package-view.js';

// Which organization item a decoder's pages belong to.

/** An item's launch file as a path of the view (items name it from the package root); null when it launches none. */
export function launchInView(view: PackageView, item: ItemRef): string | null {
  return item.launch && item.launch.startsWith(view.base) ? item.launch.slice(view.base.length) : item.launch;
}

/** The only item that launches a file, when there is just one: a single-SCO package's pages are all its. */
export function soleLaunchingItem(view: PackageView): string | null {
  const launching = view.items.filter((item) => item.launch);
  return launching.length === 1 ? (launching[0]?.identifier ?? null) : null;
}

/** The item that launches one of `files` (paths of the view, in any case), else the sole launching item. */
export function itemLaunching(view: PackageView, files: string[]): string | null {
  const wanted = new Set(files.map((file) => file.toLowerCase()));
  const hit = view.items.find((item) => wanted.has((launchInView(view, item) ?? '').toLowerCase()));
  return hit ? hit.identifier : soleLaunchingItem(view);
}
