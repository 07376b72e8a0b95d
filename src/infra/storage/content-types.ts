import mime from 'mime-types';

/**
 * The Content-Type a package's file is served with, from its name: course files are read by
 * browsers that sniff nothing (`nosniff`), so scripts, styles, fonts and media must be typed. No
 * charset is added: an older course's pages declare their own (windows-1252, Shift_JIS…), and
 * a header would override it, as a plain web server would not.
 */
export function contentType(path: string): string {
  return mime.lookup(path.slice(path.lastIndexOf('/') + 1)) || 'application/octet-stream';
}
