/** Default L2 strength (on the mean loss) of `traceprop train` and of `train` jobs. */
export const defaultLambda = 1e-3;
