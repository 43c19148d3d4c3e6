/**
 * `.astro` modules imported from `.ts` files (feature manifests load their pages lazily). Astro's
 * own checker resolves them for real; this lets plain `tsc` type-check the `.ts` side.
 */
declare module '*.astro' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const Component: (props: any) => any;
  export default Component;
}
