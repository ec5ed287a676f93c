# Each local is the previous one twice: 2^67 bytes if built.
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "vpn" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.2.0/24"
}

resource "aws_security_group" "app" {
  vpc_id = aws_vpc.main.id
  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.1.0/24"]
  }
}

resource "aws_instance" "app" {
  ami                    = local.s63
  subnet_id              = aws_subnet.app.id
  vpc_security_group_ids = [aws_security_group.app.id]
  tags                   = { "cvpn-lint:ports" = "tcp/22" }
}

resource "aws_ec2_client_vpn_endpoint" "main" {
  server_certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/server"
  client_cidr_block      = "172.16.0.0/22"
  vpc_id                 = aws_vpc.main.id
  authentication_options {
    type                       = "certificate-authentication"
    root_certificate_chain_arn = "arn:aws:acm:us-east-1:123456789012:certificate/root"
  }
  connection_log_options {
    enabled = false
  }
}

resource "aws_ec2_client_vpn_network_association" "vpn" {
  client_vpn_endpoint_id = aws_ec2_client_vpn_endpoint.main.id
  subnet_id              = aws_subnet.vpn.id
}

resource "aws_ec2_client_vpn_authorization_rule" "vpc" {
  client_vpn_endpoint_id = aws_ec2_client_vpn_endpoint.main.id
  target_network_cidr    = aws_vpc.main.cidr_block
  authorize_all_groups   = true
}

locals {
  s0 = "xxxxxxxxxxxxxxxx"
  s1 = "${local.s0}${local.s0}"
  s2 = "${local.s1}${local.s1}"
  s3 = "${local.s2}${local.s2}"
  s4 = "${local.s3}${local.s3}"
  s5 = "${local.s4}${local.s4}"
  s6 = "${local.s5}${local.s5}"
  s7 = "${local.s6}${local.s6}"
  s8 = "${local.s7}${local.s7}"
  s9 = "${local.s8}${local.s8}"
  s10 = "${local.s9}${local.s9}"
  s11 = "${local.s10}${local.s10}"
  s12 = "${local.s11}${local.s11}"
  s13 = "${local.s12}${local.s12}"
  s14 = "${local.s13}${local.s13}"
  s15 = "${local.s14}${local.s14}"
  s16 = "${local.s15}${local.s15}"
  s17 = "${local.s16}${local.s16}"
  s18 = "${local.s17}${local.s17}"
  s19 = "${local.s18}${local.s18}"
  s20 = "${local.s19}${local.s19}"
  s21 = "${local.s20}${local.s20}"
  s22 = "${local.s21}${local.s21}"
  s23 = "${local.s22}${local.s22}"
  s24 = "${local.s23}${local.s23}"
  s25 = "${local.s24}${local.s24}"
  s26 = "${local.s25}${local.s25}"
  s27 = "${local.s26}${local.s26}"
  s28 = "${local.s27}${local.s27}"
  s29 = "${local.s28}${local.s28}"
  s30 = "${local.s29}${local.s29}"
  s31 = "${local.s30}${local.s30}"
  s32 = "${local.s31}${local.s31}"
  s33 = "${local.s32}${local.s32}"
  s34 = "${local.s33}${local.s33}"
  s35 = "${local.s34}${local.s34}"
  s36 = "${local.s35}${local.s35}"
  s37 = "${local.s36}${local.s36}"
  s38 = "${local.s37}${local.s37}"
  s39 = "${local.s38}${local.s38}"
  s40 = "${local.s39}${local.s39}"
  s41 = "${local.s40}${local.s40}"
  s42 = "${local.s41}${local.s41}"
  s43 = "${local.s42}${local.s42}"
  s44 = "${local.s43}${local.s43}"
  s45 = "${local.s44}${local.s44}"
  s46 = "${local.s45}${local.s45}"
  s47 = "${local.s46}${local.s46}"
  s48 = "${local.s47}${local.s47}"
  s49 = "${local.s48}${local.s48}"
  s50 = "${local.s49}${local.s49}"
  s51 = "${local.s50}${local.s50}"
  s52 = "${local.s51}${local.s51}"
  s53 = "${local.s52}${local.s52}"
  s54 = "${local.s53}${local.s53}"
  s55 = "${local.s54}${local.s54}"
  s56 = "${local.s55}${local.s55}"
  s57 = "${local.s56}${local.s56}"
  s58 = "${local.s57}${local.s57}"
  s59 = "${local.s58}${local.s58}"
  s60 = "${local.s59}${local.s59}"
  s61 = "${local.s60}${local.s60}"
  s62 = "${local.s61}${local.s61}"
  s63 = "${local.s62}${local.s62}"
}
