"""A sample answer file for the probability warm-up."""

p1a = "7/2"
p1b = "-log(sigma*sqrt(2*pi)) - (x - mu)^2 / (2 sigma^2)"
p1c = "no"
