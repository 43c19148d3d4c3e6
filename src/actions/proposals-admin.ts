/** Actions of the proposals feature, admin side (answers, states, evaluators, split, merge, import). */
export const proposalsAdmin = {};
