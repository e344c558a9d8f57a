export { ConfigSchema, LOG_LEVELS, MODEL_PROVIDERS, ROLES, parseConfig } from './config.ts'
export type { Config, ConfigResult, LogLevel, ModelProvider, RawConfig, Role } from './config.ts'
