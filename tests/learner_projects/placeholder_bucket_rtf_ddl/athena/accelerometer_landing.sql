CREATE EXTERNAL TABLE stedi-db.accelerometer_landing (
  user string,
  timestamp bigint,
  x double,
  y double,
  z double
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION 's3://${{ secrets.BUCKET }}/accelerometer/landing/'
TBLPROPERTIES ('classification' = 'json');
