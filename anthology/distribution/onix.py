"""An ONIX for Books 3.0 message (reference tags): one <Product> per edition of each volume,
the record a distributor, a retailer or a library catalogue takes a book from.

Everything here is a pure function of frozen values: the same volumes give the same bytes
(the message's date is given, never read from the clock). Code values are from EDItEUR's code
lists, Issue 75, as `onixcheck`'s schemas carry them; the list each comes from is named where
it is used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from lxml import etree

from anthology.distribution.accessibility import Feature
from anthology.distribution.pages import PageCount
from anthology.workspace.publishing import EditionKind

NAMESPACE = "http://ns.editeur.org/onix/3.0/reference"

# List 150 (product form) and 175 (form detail) by edition.
FORMS: dict[EditionKind, tuple[str, tuple[str, ...]]] = {
    EditionKind.ebook: ("EA", ("E101", "E200")),  # digital download; EPUB, reflowable
    EditionKind.paperback: ("BC", ()),  # paperback / softback
    EditionKind.hardcover: ("BB", ()),  # hardback
}
AUTHOR = "A01"  # list 17: By (author)
# A guest's essay on one film is a contribution to the book, not authorship of it: "A01"
# would list every guest as an author of the volume on a store page. (The OPF's MARC "aui",
# author of an introduction, is the nearest MARC role; ONIX has the exact one.)
GUEST = "A32"  # list 17: Contributions by
# Price types (list 58) and territories by currency: a North American list price excludes
# sales tax (01, RRP excluding tax); elsewhere a consumer price includes VAT or GST (02). The
# territory is the one country a currency is listed for; the euro's is left to the currency.
CURRENCIES: dict[str, tuple[str, str | None]] = {
    "USD": ("01", "US"), "CAD": ("01", "CA"), "GBP": ("02", "GB"), "AUD": ("02", "AU"),
    "NZD": ("02", "NZ"), "INR": ("02", "IN"), "JPY": ("02", "JP"), "BRL": ("02", "BR"),
    "MXN": ("02", "MX"), "PLN": ("02", "PL"), "SEK": ("02", "SE"), "EUR": ("02", None),
}
INCLUDING_TAX = "02"
# Thema (list 27): subject categories 93; qualifiers by their first digit, 94 to 99.
THEMA_QUALIFIERS = {"1": "94", "2": "95", "3": "96", "4": "97", "5": "98", "6": "99"}
BISAC, THEMA, KEYWORDS = "10", "93", "20"


@dataclass(frozen=True)
class Edition:
    """One product: an edition with its ISBN-13, its list prices by currency and, for print,
    its page count; the e-book carries its accessibility features."""

    kind: EditionKind
    isbn: str
    prices: tuple[tuple[str, Decimal], ...] = ()
    pages: PageCount | None = None
    thickness: float | None = None  # inches: the spine, where the page count gives it
    features: tuple[Feature, ...] = ()


@dataclass(frozen=True)
class Volume:
    """What every edition of a volume shares."""

    title: str
    subtitle: str | None
    author: str
    guests: tuple[str, ...]
    language: str | None  # ISO 639-2/B, list 74
    country: str | None  # ISO 3166-1 alpha-2, list 91
    date: date
    publisher: str | None
    description: str | None
    series: tuple[str, int] | None
    trim: tuple[float, float]  # inches
    bisac: tuple[str, ...] = ()
    thema: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    editions: tuple[Edition, ...] = ()


def record_reference(isbn: str) -> str:
    """Stable across runs and unique across senders: the ISBN is both."""
    return f"urn:isbn:{isbn}"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _sub(parent: etree._Element, tag: str, text: str | None = None,
         **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}", attributes)
    if text is not None:
        element.text = _CONTROL.sub("", text)  # XML 1.0 cannot carry them
    return element


def _inches(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _date(value: date) -> str:
    return value.strftime("%Y%m%d")


def _territory(parent: etree._Element, countries: str | None = None) -> None:
    territory = _sub(parent, "Territory")
    if countries:
        _sub(territory, "CountriesIncluded", countries)
    else:
        _sub(territory, "RegionsIncluded", "WORLD")


def _title(parent: etree._Element, level: str, text: str, subtitle: str | None = None,
           part: int | None = None) -> None:
    detail = _sub(parent, "TitleDetail")
    _sub(detail, "TitleType", "01")  # list 15: distinctive title
    element = _sub(detail, "TitleElement")
    _sub(element, "TitleElementLevel", level)  # list 149: 01 product, 02 collection
    if part is not None:
        _sub(element, "PartNumber", str(part))
    _sub(element, "TitleText", text)
    if subtitle:
        _sub(element, "Subtitle", subtitle)


def _measures(parent: etree._Element, volume: Volume, edition: Edition) -> None:
    """List 48: a paperback's overall size is its trim and its spine; a hardcover's boards
    overhang the trim, so only the page trim (04, 05) is known here."""
    width, height = volume.trim
    sizes = [("01", height), ("02", width)] if edition.kind is EditionKind.paperback else [
        ("04", height), ("05", width)]
    if edition.thickness is not None and edition.kind is EditionKind.paperback:
        sizes.append(("03", edition.thickness))
    for kind, value in sizes:
        measure = _sub(parent, "Measure")
        _sub(measure, "MeasureType", kind)
        _sub(measure, "Measurement", _inches(value))
        _sub(measure, "MeasureUnitCode", "in")  # list 50


def _extent(parent: etree._Element, kind: str, pages: int) -> None:
    extent = _sub(parent, "Extent")
    _sub(extent, "ExtentType", kind)  # list 23
    _sub(extent, "ExtentValue", str(pages))
    _sub(extent, "ExtentUnit", "03")  # list 24: pages


def _extents(parent: etree._Element, volume: Volume, edition: Edition) -> None:
    """Print: the main content (00, the Arabic-numbered pages), the front matter (03) and the
    content page count (11, every page). The e-book: the print counterpart's pages (08),
    which its page list follows."""
    if edition.kind is EditionKind.ebook:
        counterpart = next((e.pages for e in volume.editions if e.pages is not None), None)
        if counterpart is not None:
            _extent(parent, "08", counterpart.total)
        return
    if edition.pages is None:
        return
    if edition.pages.main is not None and edition.pages.front is not None:
        _extent(parent, "00", edition.pages.main)
        _extent(parent, "03", edition.pages.front)
    _extent(parent, "11", edition.pages.total)


def _subjects(parent: etree._Element, volume: Volume) -> None:
    for index, code in enumerate(volume.bisac):
        subject = _sub(parent, "Subject")
        if index == 0:
            _sub(subject, "MainSubject")
        _sub(subject, "SubjectSchemeIdentifier", BISAC)
        _sub(subject, "SubjectCode", code)
    categories = [c for c in volume.thema if c[0] not in THEMA_QUALIFIERS]
    for code in volume.thema:
        subject = _sub(parent, "Subject")
        if categories and code == categories[0]:
            _sub(subject, "MainSubject")
        _sub(subject, "SubjectSchemeIdentifier", THEMA_QUALIFIERS.get(code[0], THEMA))
        _sub(subject, "SubjectCode", code)
    if volume.keywords:  # one Subject, keywords separated by semicolons (list 27, code 20)
        subject = _sub(parent, "Subject")
        _sub(subject, "SubjectSchemeIdentifier", KEYWORDS)
        _sub(subject, "SubjectHeadingText", "; ".join(volume.keywords))


def _descriptive(product: etree._Element, volume: Volume, edition: Edition) -> None:
    detail = _sub(product, "DescriptiveDetail")
    _sub(detail, "ProductComposition", "00")  # list 2: single-component retail product
    form, details = FORMS[edition.kind]
    _sub(detail, "ProductForm", form)
    for code in details:
        _sub(detail, "ProductFormDetail", code)
    for feature in edition.features:
        element = _sub(detail, "ProductFormFeature")
        _sub(element, "ProductFormFeatureType", feature.type)  # list 79
        _sub(element, "ProductFormFeatureValue", feature.value)  # list 196 or 143
        if feature.description:
            _sub(element, "ProductFormFeatureDescription", feature.description)
    if edition.kind is not EditionKind.ebook:
        _measures(detail, volume, edition)
    else:
        _sub(detail, "EpubTechnicalProtection", "00")  # list 144: none (no DRM)
    if volume.series is not None:
        name, number = volume.series
        collection = _sub(detail, "Collection")
        _sub(collection, "CollectionType", "10")  # list 148: publisher collection
        _title(collection, "02", name, part=number)
    else:
        _sub(detail, "NoCollection")
    _title(detail, "01", volume.title, volume.subtitle)
    people = [(AUTHOR, volume.author), *((GUEST, g) for g in volume.guests if g != volume.author)]
    for number, (role, name) in enumerate(people, start=1):
        contributor = _sub(detail, "Contributor")
        _sub(contributor, "SequenceNumber", str(number))
        _sub(contributor, "ContributorRole", role)
        _sub(contributor, "PersonName", name)
    if volume.language:
        language = _sub(detail, "Language")
        _sub(language, "LanguageRole", "01")  # list 22: language of text
        _sub(language, "LanguageCode", volume.language)
        if volume.country:
            _sub(language, "CountryCode", volume.country)
    _extents(detail, volume, edition)
    _subjects(detail, volume)


def _publishing(product: etree._Element, volume: Volume, forthcoming: bool) -> None:
    detail = _sub(product, "PublishingDetail")
    if volume.publisher:
        publisher = _sub(detail, "Publisher")
        _sub(publisher, "PublishingRole", "01")  # list 45: publisher
        _sub(publisher, "PublisherName", volume.publisher)
    _sub(detail, "PublishingStatus", "02" if forthcoming else "04")  # list 64
    published = _sub(detail, "PublishingDate")
    _sub(published, "PublishingDateRole", "01")  # list 163: publication date
    _sub(published, "Date", _date(volume.date))
    rights = _sub(detail, "SalesRights")
    _sub(rights, "SalesRightsType", "01")  # list 46: for sale, exclusive rights
    _territory(rights)


def _supply(product: etree._Element, volume: Volume, edition: Edition, supplier: str,
            forthcoming: bool) -> None:
    supply = _sub(product, "ProductSupply")
    market = _sub(supply, "Market")
    _territory(market)
    detail = _sub(supply, "SupplyDetail")
    who = _sub(detail, "Supplier")
    _sub(who, "SupplierRole", "01")  # list 93: publisher to resellers
    _sub(who, "SupplierName", supplier)
    _sub(detail, "ProductAvailability", "10" if forthcoming else "20")  # list 65
    if forthcoming:
        expected = _sub(detail, "SupplyDate")
        _sub(expected, "SupplyDateRole", "08")  # list 166: expected availability date
        _sub(expected, "Date", _date(volume.date))
    if not edition.prices:
        _sub(detail, "UnpricedItemType", "02")  # list 57: price to be announced
    for currency, amount in edition.prices:
        kind, country = CURRENCIES.get(currency, (INCLUDING_TAX, None))
        price = _sub(detail, "Price")
        _sub(price, "PriceType", kind)
        _sub(price, "PriceAmount", f"{amount:.2f}")
        _sub(price, "CurrencyCode", currency)
        if country:
            _territory(price, country)


def _product(message: etree._Element, volume: Volume, edition: Edition, supplier: str,
             sent: datetime) -> None:
    forthcoming = volume.date > sent.date()
    product = _sub(message, "Product")
    _sub(product, "RecordReference", record_reference(edition.isbn))
    # List 1: 02 advance notification (confirmed) before publication, 03 on and after it.
    _sub(product, "NotificationType", "02" if forthcoming else "03")
    identifier = _sub(product, "ProductIdentifier")
    _sub(identifier, "ProductIDType", "15")  # list 5: ISBN-13
    _sub(identifier, "IDValue", edition.isbn)
    _descriptive(product, volume, edition)
    if volume.description:
        collateral = _sub(product, "CollateralDetail")
        text = _sub(collateral, "TextContent")
        _sub(text, "TextType", "03")  # list 153: description
        _sub(text, "ContentAudience", "00")  # list 154: unrestricted
        _sub(text, "Text", volume.description.strip(), textformat="06")  # list 34: plain
    _publishing(product, volume, forthcoming)
    _supply(product, volume, edition, supplier, forthcoming)


def message(volumes: Sequence[Volume], sender: str, sent: datetime) -> bytes:
    """The whole message, UTF-8. `sent` is its date (SOURCE_DATE_EPOCH or the volumes'
    dates: never the clock); a volume published after it is announced as forthcoming."""
    root = etree.Element(f"{{{NAMESPACE}}}ONIXMessage", {"release": "3.0"},
                         nsmap={None: NAMESPACE})
    header = _sub(root, "Header")
    _sub(_sub(header, "Sender"), "SenderName", sender)
    _sub(header, "SentDateTime", sent.strftime("%Y%m%dT%H%M%SZ"))
    for volume in volumes:
        for edition in volume.editions:
            _product(root, volume, edition, sender, sent)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def counts(volumes: Sequence[Volume]) -> Mapping[str, int]:
    """Products by edition, for the report."""
    found = {kind.value: 0 for kind in EditionKind}
    for volume in volumes:
        for edition in volume.editions:
            found[edition.kind.value] += 1
    return found
