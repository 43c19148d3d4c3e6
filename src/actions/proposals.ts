/** Actions of the proposals feature, participant side (forms without JavaScript, and the islands). */
export const proposals = {};
