"""Realistic Kazakh names (Kazakh and Russian spellings) for the demo data."""

SURNAMES = [  # (kk, ru), masculine form; feminine adds "а"
    ("Әбілқасымов", "Абилкасымов"),
    ("Нұрланов", "Нурланов"),
    ("Сейітов", "Сеитов"),
    ("Қасымов", "Касымов"),
    ("Жұмабаев", "Жумабаев"),
    ("Оспанов", "Оспанов"),
    ("Төлеуов", "Толеуов"),
    ("Ғабдуллин", "Габдуллин"),
    ("Сәрсенбаев", "Сарсенбаев"),
    ("Бекмұханов", "Бекмуханов"),
    ("Құдайбергенов", "Кудайбергенов"),
    ("Ержанов", "Ержанов"),
    ("Мұхаметжанов", "Мухаметжанов"),
    ("Әлиев", "Алиев"),
    ("Үсенов", "Усенов"),
    ("Өтебаев", "Утебаев"),
    ("Шәкенов", "Шакенов"),
    ("Ысқақов", "Искаков"),
    ("Иманғалиев", "Имангалиев"),
    ("Байжанов", "Байжанов"),
    ("Һашимов", "Хашимов"),
    ("Ілиясов", "Ильясов"),
]
MALE = [
    ("Әлібек", "Алибек"),
    ("Нұрсұлтан", "Нурсултан"),
    ("Ерлан", "Ерлан"),
    ("Дәурен", "Даурен"),
    ("Асқар", "Аскар"),
    ("Ғалымжан", "Галымжан"),
    ("Мұрат", "Мурат"),
    ("Бауыржан", "Бауыржан"),
    ("Айбек", "Айбек"),
    ("Санжар", "Санжар"),
    ("Ерасыл", "Ерасыл"),
]
FEMALE = [
    ("Әсел", "Асель"),
    ("Айгерім", "Айгерим"),
    ("Гүлнар", "Гульнар"),
    ("Жұлдыз", "Жулдыз"),
    ("Дана", "Дана"),
    ("Мөлдір", "Мольдир"),
    ("Аружан", "Аружан"),
    ("Інкәр", "Инкар"),
    ("Ұлжан", "Улжан"),
    ("Назерке", "Назерке"),
]
FATHERS = [
    ("Серік", "Серик"),
    ("Марат", "Марат"),
    ("Ерлан", "Ерлан"),
    ("Болат", "Болат"),
    ("Нұрлан", "Нурлан"),
    ("Қайрат", "Кайрат"),
    ("Ғани", "Гани"),
]


def person(i: int) -> dict:
    """The i-th demo person: names in both languages and the sex digit for the IIN."""
    female = i % 2 == 1
    surname_kk, surname_ru = SURNAMES[i % len(SURNAMES)]
    names = FEMALE if female else MALE
    # Shift the first name each time the surnames wrap round, so no two demo students share a full name.
    first_kk, first_ru = names[(i // 2 + 3 * (i // len(SURNAMES))) % len(names)]
    father_kk, father_ru = FATHERS[(i // 3) % len(FATHERS)]
    suffix_ru = "а" if female else ""
    return {
        "last_name_kk": surname_kk + ("а" if female and surname_kk.endswith(("ов", "ев", "ин")) else ""),
        "last_name_ru": surname_ru + (suffix_ru if surname_ru.endswith(("ов", "ев", "ин")) else ""),
        "first_name_kk": first_kk,
        "first_name_ru": first_ru,
        "patronymic_kk": father_kk + ("қызы" if female else "ұлы"),
        "patronymic_ru": father_ru + ("овна" if female else "ович"),
        "female": female,
    }
