CREATE EXTERNAL TABLE IF NOT EXISTS `stedi-lake-db`.`step_trainer_trusted` (
  `sensorreadingtime` bigint,
  `serialnumber` string,
  `distancefromobject` int
)
STORED AS PARQUET
LOCATION 's3://learner-lake-2/step_trainer_trusted/'
TBLPROPERTIES ('classification' = 'parquet');
