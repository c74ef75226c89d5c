// Stands in for `server-only` under Jest, which does not resolve the
// react-server export condition (jestjs/jest#13967).
export {};
