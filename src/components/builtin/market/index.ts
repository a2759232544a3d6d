export { baoStockAdjustFactorProducer } from './adjust-factor-producer.js';
export { baoStockDailyBarProducer } from './daily-bar-producer.js';
export { dailyBarProcessor } from './daily-bar-processor.js';
export { adjustFactorStorager, dailyBarStorager, securityStorager } from './market-storagers.js';
export { baoStockSecurityProducer } from './security-producer.js';
