CREATE EXTERNAL TABLE IF NOT EXISTS `stedi-lake-db`.`accelerometer_trusted` (
  `user` string,
  `timestamp` bigint,
  `x` double,
  `y` double,
  `z` double
)
STORED AS PARQUET
LOCATION 's3://learner-lake-2/accelerometer_trusted/'
TBLPROPERTIES ('classification' = 'parquet');
