print("mpa-admission: under construction")
