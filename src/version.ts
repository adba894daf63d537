/** The qbwave version, recorded in every data file header. Keep in step with package.json. */
export const VERSION = '0.1.0';
