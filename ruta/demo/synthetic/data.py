"""Distributions behind the synthetic data, with where each figure comes from.

Public figures (``../shared/domain/README.md``): in 2024, 31 of 39 new cases were commercial sexual
exploitation, 36 % came from Cortés (05) and 31 % from Francisco Morazán (08); 474 victims in
2020–2025, 378 of them women and girls (80 %). The rest (other departments, channels, ages, the
labour share) are assumptions that keep those shapes: the other 33 % of alerts is spread over the
remaining departments roughly by population, and within a department the head municipality and the
large towns take most of it, as they do in real reporting."""

from __future__ import annotations

from collections.abc import Mapping

# Department shares (codes are INE codes). Cortés and Francisco Morazán from the 2024 figures; the
# others by approximate population (INE projections), scaled to the remaining 33 %.
_OTHER_DEPARTMENTS = {
    "01": 5.0,  # Atlántida (La Ceiba: a destination and transit city)
    "02": 2.5,  # Colón
    "03": 3.5,  # Comayagua
    "04": 3.0,  # Copán (border with Guatemala)
    "06": 3.5,  # Choluteca (border with Nicaragua and El Salvador)
    "07": 3.0,  # El Paraíso
    "09": 1.0,  # Gracias a Dios
    "10": 1.5,  # Intibucá
    "11": 1.5,  # Islas de la Bahía (tourism)
    "12": 1.0,  # La Paz
    "13": 1.5,  # Lempira
    "14": 1.5,  # Ocotepeque (border)
    "15": 2.5,  # Olancho
    "16": 2.0,  # Santa Bárbara
    "17": 1.0,  # Valle
    "18": 3.5,  # Yoro
}
_OTHER_TOTAL = sum(_OTHER_DEPARTMENTS.values())
DEPARTMENT_WEIGHTS: dict[str, float] = {
    "05": 36.0,
    "08": 31.0,
    **{code: round(weight * 33.0 / _OTHER_TOTAL, 3) for code, weight in _OTHER_DEPARTMENTS.items()},
}

# Within a department: named large municipalities take these shares; the head municipality (DD01)
# takes HEAD_SHARE where not named; the rest is spread evenly.
MUNICIPALITY_SHARES: dict[str, dict[str, float]] = {
    "05": {"0501": 0.55, "0502": 0.15, "0511": 0.08, "0512": 0.06, "0506": 0.08},
    "08": {"0801": 0.90},
    "01": {"0101": 0.6, "0107": 0.15},
    "18": {"1801": 0.25, "1804": 0.35, "1811": 0.15},
    "03": {"0301": 0.55, "0318": 0.15},
    "06": {"0601": 0.65},
}
HEAD_SHARE = 0.5

# Forms of exploitation (Case.exploitation codes): 31/39 sexual in 2024; the rest assumed.
EXPLOITATION_WEIGHTS: dict[str, float] = {
    "sexual": 79.5,
    "labour": 9.0,
    "forced_crime": 4.0,
    "domestic_servitude": 3.0,
    "forced_begging": 2.0,
    "forced_marriage": 2.0,
    "illegal_adoption": 0.5,
}

# Community signals most likely under each form (codes of DESIGN §3), with the chance of each.
SIGNALS_BY_EXPLOITATION: dict[str, dict[str, float]] = {
    "sexual": {"S01": 0.55, "S12": 0.8, "S06": 0.3, "S07": 0.25, "S08": 0.35, "S05": 0.2, "S14": 0.15, "S15": 0.1},
    "labour": {"S01": 0.6, "S10": 0.7, "S11": 0.6, "S04": 0.35, "S05": 0.3, "S06": 0.15, "S03": 0.2, "S14": 0.2},
    "forced_crime": {"S02": 0.5, "S07": 0.6, "S13": 0.7, "S09": 0.2, "S14": 0.3},
    "domestic_servitude": {"S01": 0.5, "S10": 0.5, "S11": 0.5, "S09": 0.4, "S06": 0.25, "S14": 0.3},
    "forced_begging": {"S13": 0.8, "S14": 0.5, "S08": 0.4, "S02": 0.2},
    "forced_marriage": {"S13": 0.7, "S01": 0.3, "S07": 0.3, "S09": 0.3},
    "illegal_adoption": {"S15": 0.6, "S03": 0.4, "S02": 0.2},
}

FEMALE_SHARE = 378 / 474  # women and girls among victims, 2020–2025
CHILD_SHARE = 0.42  # assumption: adolescents are a large share of sexual-exploitation victims
# Age of children (mostly adolescents) and of adults (mostly young).
CHILD_AGES = [(8, 1), (10, 2), (11, 2), (12, 4), (13, 8), (14, 12), (15, 16), (16, 18), (17, 17)]
ADULT_AGES = [(18, 14), (19, 12), (20, 10), (21, 9), (22, 8), (23, 7), (24, 6), (25, 6), (27, 8), (30, 7),
              (33, 5), (36, 3), (40, 3), (45, 2)]  # fmt: skip

CHANNEL_WEIGHTS: dict[str, float] = {
    "hotline": 45.0,  # line 145
    "public_web": 22.0,
    "staff": 16.0,
    "sms": 7.0,
    "inspection": 5.0,
    "api": 5.0,
}

NATIONALITY_WEIGHTS: dict[str, float] = {"HN": 93.0, "NI": 2.5, "GT": 2.0, "SV": 1.5, "VE": 0.6, "CU": 0.4}

# --- names -----------------------------------------------------------------------------------------


def _names(text: str) -> list[str]:
    return text.split()


# How often a name is shared decides how hard duplicate matching is, so the shares are anchored on
# the civil registry (RNP) where it has published figures; the rest is an assumption that keeps
# real names' shape: a few common names, then a long tail of names each well under 1 %.
#
# Surnames: RNP annual report of 14 November 2023 (as reported by La Prensa, relayed by br-cn.com
# on 2023-11-17): bearers out of about 10 million Hondurans. The report lists 24 surnames, Castillo
# the last of them; the places and shares of ranks 11–24 (1.6 % down to 1 %) are assumptions.
SURNAME_BEARERS_RNP_2023 = {
    "Hernández": 400_000, "López": 372_300, "Martínez": 343_700, "Rodríguez": 301_400, "García": 282_500,
    "Mejía": 243_600, "Cruz": 194_300, "Flores": 191_800, "Sánchez": 185_300, "Reyes": 178_200,
}  # fmt: skip
POPULATION_RNP_2023 = 10_000_000
SURNAMES_RANKS_11_TO_24 = [
    "Pérez", "Gómez", "Ramírez", "Díaz", "Rivera", "Castro", "Zelaya", "Ortiz", "Velásquez", "Romero",
    "Aguilar", "Mendoza", "Ramos", "Castillo",
]  # fmt: skip
# Honduran surnames beyond the registry's list (assumed shares: a geometric decline from 0.6 %).
SURNAMES_TAIL = _names("""
Torres Chávez Vásquez Padilla Maradiaga Bonilla Pineda Alvarado Gutiérrez Morales Núñez Álvarez Andino
Sierra Murillo Ávila Osorio Paz Amaya Ordóñez Banegas Euceda Cárcamo Cálix Zúniga Moncada Palma Varela
Escobar Suazo Sosa Molina Medina Herrera Espinoza Acosta Aguilera Alonzo Amador Antúnez Arita Arias
Ayala Baca Barahona Barrientos Bautista Bardales Benítez Bueso Caballero Cabrera Calderón Canales
Carbajal Cardona Carías Carrasco Castellanos Castañeda Cerna Chinchilla Colindres Contreras Córdova
Corrales Cortés Coello Dubón Durón Elvir Enamorado Escalante Estrada Fajardo Ferrera Figueroa Fonseca
Fuentes Galindo Gallardo Gálvez Garay Garmendia González Guardado Guerra Guerrero Guifarro Guzmán
Henríquez Hidalgo Interiano Jiménez Lanza Lara Lazo Leiva Lemus Licona Linares Lobo Lozano Lagos Luna
Machado Madrid Maldonado Manzanares Mairena Márquez Meza Midence Miranda Montes Montoya Mondragón Morán
Moreno Munguía Nájera Navarro Nolasco Ochoa Orellana Oviedo Palacios Paredes Pavón Peña Perdomo Ponce
Portillo Quintanilla Quiroz Rivas Robles Rosales Rubio Ruiz Salazar Salgado Salinas Santos Serrano
Solís Soto Tábora Tejeda Tinoco Trejo Urbina Valladares Valle Vallecillo Vargas Vega Villalobos Villeda
Zavala Zepeda Zambrano Ulloa Oyuela Medrano Bulnes Rápalo Sabillón Escoto Membreño Matamoros Argueta
Argeñal Cantarero Sauceda Andrade Baquedano Borjas Castejón Chirinos Cubas Deras Irías Izaguirre
Laínez Mencía Osorto Pastrana Posadas Rodas Tróchez Turcios Yánez Raudales Discua Erazo Galeas Cerrato
Oseguera Duarte Bustillo Almendárez Espinal Girón Villatoro Guevara Cáceres Bernárdez Funes Matute
Alemán Hernandez
""")

# Given names. María: 87,599 girls born 2000–2023 registered as María, the most used name (RNP data
# analysed by El Heraldo Plus, 8 July 2023, request SOL-RNP-372), out of about 2.4 million girls born
# in those years (roughly 200,000 births a year): about 3.7 %. Génesis, Ana and Andrea follow it
# (El Heraldo, RNP data 2000–2019). The other shares, José's included (taken equal to María's), are
# assumptions in the order of the lists below; the tails decline geometrically from 0.5 %.
MARIA_SHARE = 87_599 / 2_400_000 * 100
FEMALE_GIVEN_HEAD = {
    "María": 40, "Génesis": 14, "Ana": 14, "Andrea": 12, "Karla": 10, "Dania": 6, "Sonia": 6, "Gloria": 5,
    "Rosa": 8, "Yessenia": 7,
    "Dilcia": 5, "Wendy": 8, "Kenia": 7, "Jennifer": 8, "Ashley": 9, "Nicol": 7, "Allison": 7,
    "Daniela": 9, "Fernanda": 7, "Valeria": 8, "Alejandra": 7, "Yolanda": 4, "Reina": 4, "Lesbia": 3,
    "Marlen": 4, "Sindy": 6, "Nohemy": 4, "Iris": 5, "Lourdes": 4, "Suyapa": 9, "Maritza": 4, "Ingrid": 4,
    "Heidy": 5, "Paola": 6, "Cinthia": 5, "Glenda": 4, "Xiomara": 4, "Dayana": 6, "Fátima": 5, "Marisol": 4,
    "Esther": 3, "Carmen": 5, "Dunia": 3, "Mirna": 3, "Yadira": 3, "Dolores": 2, "Lilian": 4, "Keyla": 5,
    "Emily": 5, "Angie": 5, "Katherine": 5, "Lizeth": 4, "Tania": 4, "Belkis": 2, "Elsa": 3, "Sofía": 6,
}  # fmt: skip
FEMALE_GIVEN_TAIL = _names("""
Abigail Adriana Alba Alicia Alma Amanda Amparo Ángela Angélica Antonia Araceli Astrid Aura Beatriz
Berta Bessy Brenda Camila Carla Carolina Cecilia Celeste Cesia Clara Claudia Concepción Cristina Delmy
Diana Doris Edith Elizabeth Elvia Emilia Estela Eva Evelyn Fabiola Flor Gabriela Gladys Grecia Griselda
Hilda Irma Isabel Jackeline Jazmín Johana Josefina Juana Julissa Karen Kimberly Laura Leticia Lidia
Ligia Lorena Lucía Luz Magdalena Mabel Marcela Margarita Mariela Marina Marta Mayra Melissa Mercedes
Milagro Miriam Mónica Nancy Natalia Nelly Nidia Norma Olga Olivia Patricia Perla Raquel Rebeca Ruth
Sara Silvia Sulma Susana Tatiana Teresa Valentina Vanessa Verónica Vilma Viviana Ximena Yamileth Yeimi
Abril Mía Danna Hilary Nataly Yaritza Nohelia Keren Merlin Osiris Sayda Rosibel Zoila Yolany Orfilia
Elda Francis Ninoska Yessica Kelly Jenny Ivania Lissette Mileydi Dayanara Scarleth Nathaly Yuri Zulema
Ada Aída Amalia Ana Belén Candy Clementina Digna Eldy Ena Emérita Gilma Herminia Ilsa Juliana Leyla
""")
MALE_GIVEN_HEAD = {
    "José": 30, "Juan": 14, "Carlos": 12, "Luis": 12, "Jorge": 8, "Mario": 7, "Marvin": 7, "Selvin": 6,
    "Wilmer": 6, "Elvin": 6, "Nelson": 6, "Kevin": 9, "Brayan": 8, "Josué": 8, "Óscar": 6, "Miguel": 7,
    "Francisco": 7, "Pedro": 5, "Roberto": 5, "Hugo": 4, "Denis": 5, "Edwin": 5, "Wilson": 5, "Javier": 5,
    "Darwin": 5, "Fredy": 4, "Cristian": 6, "Ángel": 6, "David": 7, "Daniel": 7, "Jonathan": 5, "Erick": 5,
    "Héctor": 4, "Ramón": 4, "Santos": 5, "Manuel": 5, "Antonio": 5, "Elmer": 3, "Allan": 4, "Walter": 4,
    "Yefri": 2, "Anderson": 3, "Jefferson": 3, "Alexander": 5, "Dixon": 2, "Osman": 3, "Gerson": 3,
}  # fmt: skip
MALE_GIVEN_TAIL = _names("""
Abel Adolfo Adrián Alberto Alejandro Alex Alfredo Álvaro Andrés Arturo Bayron Benjamín César Cristóbal
Dagoberto Darío Delmer Diego Dilmer Eduardo Efraín Elías Emilio Enrique Ernesto Esteban Eugenio Ever
Fabricio Felipe Fernando Franklin Gabriel Gael Gerardo Germán Gilberto Gustavo Henry Humberto Ignacio
Isaac Ismael Iván Jaime Jairo Jesús Joel Julio Kelvin Leonel Leonardo Lenin Lorenzo Marco Mateo
Mauricio Maynor Melvin Milton Moisés Nahún Nery Noé Norman Omar Orlando Pablo Rafael Ramiro Raúl René
Reynaldo Ricardo Rigoberto Rodolfo Rolando Rony Rubén Salvador Samuel Saúl Sergio Teodoro Tomás Ulises
Víctor Vicente Wilfredo Yonis Hernán Edgardo Elder Erlin Ariel Axel Dylan Thiago Santiago Matías
Emerson Rudy Lester Junior Olvin Ronald Ludwin Jeison Arnold Belarmino Cándido Celso Cornelio Eliseo
Eulogio Fausto Filiberto Gregorio Heriberto Isidro Lempira Marcos Medardo Nicolás Pascual Porfirio
""")


def with_tail(head: dict[str, float], tail: list[str], *, first: float) -> dict[str, float]:
    """Percent shares: ``head``, then the ``tail`` names not in it declining geometrically from
    ``first``, so that everything sums to 100."""
    names = [name for name in dict.fromkeys(tail) if name not in head]
    total = 100 - sum(head.values())
    if first * len(names) <= total:  # too short a tail to decline: even shares
        return head | dict.fromkeys(names, total / len(names))
    # The ratio r of first·(1 + r + … + r^(n−1)) = total, by bisection.
    low, high = 0.0, 1.0
    for _ in range(60):
        ratio = (low + high) / 2
        low, high = (ratio, high) if first * (1 - ratio ** len(names)) / (1 - ratio) < total else (low, ratio)
    return head | {name: first * low**index for index, name in enumerate(names)}


def _scaled(weights: Mapping[str, float], top_share: float) -> dict[str, float]:
    scale = top_share / max(weights.values())
    return {name: weight * scale for name, weight in weights.items()}


def _surname_head() -> dict[str, float]:
    shares = {name: count / POPULATION_RNP_2023 * 100 for name, count in SURNAME_BEARERS_RNP_2023.items()}
    step = (1.6 - 1.0) / (len(SURNAMES_RANKS_11_TO_24) - 1)
    return shares | {name: 1.6 - step * rank for rank, name in enumerate(SURNAMES_RANKS_11_TO_24)}


FEMALE_GIVEN = with_tail(_scaled(FEMALE_GIVEN_HEAD, MARIA_SHARE), FEMALE_GIVEN_TAIL, first=0.5)
MALE_GIVEN = with_tail(_scaled(MALE_GIVEN_HEAD, MARIA_SHARE), MALE_GIVEN_TAIL, first=0.5)
SURNAMES = with_tail(_surname_head(), SURNAMES_TAIL, first=0.6)
NICKNAMES = {
    "José": "Chepe", "Francisco": "Chico", "María": "Mari", "Jesús": "Chus", "Dolores": "Lola",
    "Guadalupe": "Lupe", "Manuel": "Manolo", "Alejandra": "Ale", "Fernanda": "Fer", "Roberto": "Beto",
    "Alberto": "Beto", "Antonio": "Toño", "Suyapa": "Suya", "Santos": "Chente", "Daniela": "Dani",
}  # fmt: skip

COLONIAS = [
    "Colonia Kennedy", "Colonia Villanueva", "Barrio Abajo", "Colonia Rivera Hernández", "Colonia Chamelecón",
    "Barrio El Centro", "Colonia San José", "Colonia Los Pinos", "Aldea El Merendón", "Colonia Satélite",
    "Barrio La Guadalupe", "Colonia 3 de Mayo", "Colonia Flor del Campo", "Colonia Nueva Suyapa",
    "Barrio Medina", "Colonia López Arellano", "Aldea Las Mercedes", "Caserío El Zapote",
]  # fmt: skip

NARRATIVE_TEMPLATES: dict[str, list[str]] = {
    "sexual": [
        "Una vecina informa que {quien} es obligada a atender clientes en un bar de {lugar} por las noches.",
        "Se reporta que a {quien} le ofrecieron trabajo de mesera en {lugar} y ahora no la dejan salir.",
        "Llamada anónima: {quien} aparece en fotos de contenido sexual que un hombre vende por redes sociales.",
        "Un familiar indica que {quien} fue llevada a {lugar} con promesa de empleo y la explotan sexualmente.",
    ],
    "labour": [
        "Trabajadores de una finca en {lugar} no reciben salario hace meses; {quien} no puede irse por una deuda.",
        "Se reporta que {quien} trabaja más de 14 horas diarias en un taller de {lugar} y le retienen los documentos.",
    ],
    "forced_crime": [
        "Una madre informa que una pandilla obliga a {quien} a transportar droga en {lugar} bajo amenazas.",
        "Se reporta que reclutan por la fuerza a {quien} para cobrar extorsiones en {lugar}.",
    ],
    "domestic_servitude": [
        "Se informa que {quien} trabaja en una casa de {lugar} sin pago y sin permiso de salir.",
    ],
    "forced_begging": [
        "Vecinos ven a {quien} pidiendo dinero todos los días en {lugar}; un adulto le quita lo recaudado.",
    ],
    "forced_marriage": [
        "Se reporta que la familia entregó a {quien} en unión con un hombre mayor en {lugar} a cambio de dinero.",
    ],
    "illegal_adoption": [
        "Se reporta la desaparición de {quien} tras una oferta de llevarla a vivir con otra familia en {lugar}.",
    ],
}
WHO = {
    ("female", True): ["una niña", "una adolescente de {edad} años", "una menor de edad"],
    ("female", False): ["una joven de {edad} años", "una mujer", "una muchacha"],
    ("male", True): ["un niño", "un adolescente de {edad} años", "un menor de edad"],
    ("male", False): ["un joven de {edad} años", "un hombre", "un muchacho"],
}
