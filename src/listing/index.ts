/** Listings and teaching views over an `assemble` result (see docs/teaching.md). */
export { renderListing, type ListingOptions } from './listing.js';
