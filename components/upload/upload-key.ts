/**
 * A random key for one photo card on the upload page, sent with each upload
 * of it, so that "Try again" after a lost answer does not store the photo
 * twice (lib/server/queries/predictions.ts, createPrediction). 128 bits,
 * base64url: crypto.getRandomValues, unlike crypto.randomUUID, also works on
 * a plain-http address such as a LAN IP.
 */
export function newUploadKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
