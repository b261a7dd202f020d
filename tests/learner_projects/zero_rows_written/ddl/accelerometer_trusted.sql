CREATE EXTERNAL TABLE `stedi`.`accelerometer_trusted` (
  `user` string,
  `timestamp` bigint,
  `x` double,
  `y` double,
  `z` double
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION 's3://p9-stedi-lake/accelerometer/trusted/'
TBLPROPERTIES ('classification' = 'json');
