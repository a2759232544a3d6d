import type { AnyComponent } from '../component.js';
import {
  adjustFactorStorager,
  baoStockAdjustFactorProducer,
  baoStockDailyBarProducer,
  baoStockSecurityProducer,
  dailyBarProcessor,
  dailyBarStorager,
  securityStorager,
} from './market/index.js';
import { baoStockTradeDayProcessor } from './trade-days/processor.js';
import { baoStockTradeDayProducer } from './trade-days/producer.js';
import { baoStockTradeDayStorager } from './trade-days/storager.js';

/** The components that ship with the server; user components come from `componentsDir`. */
export const builtinComponents: readonly AnyComponent[] = [
  baoStockTradeDayProducer,
  baoStockTradeDayProcessor,
  baoStockTradeDayStorager,
  baoStockSecurityProducer,
  securityStorager,
  baoStockDailyBarProducer,
  dailyBarProcessor,
  dailyBarStorager,
  baoStockAdjustFactorProducer,
  adjustFactorStorager,
];
