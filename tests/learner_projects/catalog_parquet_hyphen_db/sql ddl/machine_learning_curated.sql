CREATE EXTERNAL TABLE IF NOT EXISTS `stedi-lake-db`.`machine_learning_curated` (
  `sensorreadingtime` bigint,
  `serialnumber` string,
  `distancefromobject` int,
  `user` string,
  `timestamp` bigint,
  `x` double,
  `y` double,
  `z` double
)
STORED AS PARQUET
LOCATION 's3://learner-lake-2/machine_learning_curated/'
TBLPROPERTIES ('classification' = 'parquet');
