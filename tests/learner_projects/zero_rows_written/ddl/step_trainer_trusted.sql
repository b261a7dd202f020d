CREATE EXTERNAL TABLE `stedi`.`step_trainer_trusted` (
  `sensorreadingtime` bigint,
  `serialnumber` string,
  `distancefromobject` int
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION 's3://p9-stedi-lake/step_trainer/trusted/'
TBLPROPERTIES ('classification' = 'json');
