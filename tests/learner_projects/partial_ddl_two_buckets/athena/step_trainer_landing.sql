CREATE EXTERNAL TABLE `stedi_p4`.`step_trainer_landing` (
  `sensorReadingTime` bigint,
  `serialNumber` string
  `distanceFromObject` int
)
LOCATION 's3://p4-raw-zone/raw/step_trainer_landing/';
