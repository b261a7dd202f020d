CREATE EXTERNAL TABLE `stedi`.`accelerometer_landing` (
  `user` string,
  `timestamp` bigint,
  `x` double,
  `y` double,
  `z` double
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION 's3://p9-stedi-lake/accelerometer/landing/'
TBLPROPERTIES ('classification' = 'json');
