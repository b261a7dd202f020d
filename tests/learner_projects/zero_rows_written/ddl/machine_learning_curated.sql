CREATE EXTERNAL TABLE `stedi`.`machine_learning_curated` (
  `sensorreadingtime` bigint,
  `serialnumber` string,
  `distancefromobject` int,
  `user` string,
  `timestamp` bigint,
  `x` double,
  `y` double,
  `z` double
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION 's3://p9-stedi-lake/ml/curated/'
TBLPROPERTIES ('classification' = 'json');
