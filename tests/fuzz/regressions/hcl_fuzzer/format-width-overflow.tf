locals {
  x = format("%99999999999999999999d", 1)
}
resource "aws_vpc" "v" {
  cidr_block = local.x
}
