"""Thai wording for the core's error codes and enum values (the core itself carries no Thai)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Protocol

from tidtam.domain.disbursement import Measure
from tidtam.domain.money import round_half_up
from tidtam.domain.progress import DEFAULT_THRESHOLDS, Band, BandThresholds, ItemKind
from tidtam.domain.scoring import Direction, Interpolation, MeasureKind, ResultField, Weighting
from tidtam.domain.thai import format_date_long, format_number
from tidtam.domain.workflow import Action, Status

# Each message says what is wrong, where, and how to fix it; parameters use str.format.
MESSAGES: dict[str, str] = {
    "negative_amount": ('จำนวนเงินในช่อง "{field}" เป็น {value} ซึ่งติดลบ — ให้กรอกจำนวนตั้งแต่ 0 ขึ้นไป'),
    "too_many_decimals": (
        'ช่อง "{field}" มีทศนิยมเกิน {places} ตำแหน่ง ({value}) — ปัดเศษให้เหลือไม่เกิน {places} ตำแหน่งแล้วบันทึกอีกครั้ง'
    ),
    "number_too_large": (
        'ช่อง "{field}" เป็น {value} ซึ่งยาวเกินกว่าที่บันทึกได้ (ไม่เกิน {digits} หลักก่อนจุดทศนิยม)'
        " — ตรวจตัวเลขอีกครั้ง อาจพิมพ์เกินหรือใส่หน่วยผิด"
    ),
    "not_a_number": ('"{value}" ไม่ใช่ตัวเลข — ให้กรอกเป็นตัวเลข เช่น 1,345 หรือ 171.52 (ใช้เลขไทยได้)'),
    "invalid_round": ("ไม่มีรอบการรายงาน {months} เดือน — รอบการรายงานต้องเป็น 3, 6, 9 หรือ 12 เดือน"),
    "invalid_fiscal_month": (
        "ไม่มีเดือนที่ {month} ของปีงบประมาณ — เดือนต้องเป็น 1 ถึง 12 (เดือนที่ 1 คือ ตุลาคม เดือนที่ 12 คือ กันยายน)"
    ),
    "monthly_plan_months": ("แผนรายเดือนมี {count} เดือน — ต้องมีครบ 12 เดือน ตั้งแต่ตุลาคมถึงกันยายน"),
    "monthly_plan_total": (
        'แผนการเบิกจ่ายรายเดือนของ "{line}" รวม {total} บาท ไม่เท่ากับแผนการใช้จ่ายทั้งปี {annual} บาท '
        "(ต่างกัน {difference} บาท) — ปรับแผนรายเดือนให้รวมเท่ากับแผนทั้งปี หรือเว้นว่างทุกเดือนถ้ายังไม่มีแผนรายเดือน"
    ),
    "month_result_gap": (
        '"{line}" มีผลเดือน{month} แต่ยังไม่มีผลเดือน{missing} — กรอกผลให้ครบทุกเดือนตั้งแต่ตุลาคม '
        "(เดือนที่ไม่มีผลให้กรอก 0)"
    ),
    "disbursed_above_allocation": (
        'ผลเบิกจ่ายสะสมของ "{line}" ถึงเดือน{month} รวม {total} บาท เกินแผนการใช้จ่ายทั้งปี {annual} บาท '
        "— ตรวจจำนวนเงินของเดือนนั้นอีกครั้ง"
    ),
    "month_committed_alone": (
        '"{line}" มีก่อหนี้ผูกพันเดือน{month} แต่ยังไม่มีผลเบิกจ่ายเดือน{month} — '
        "กรอกผลเบิกจ่ายของเดือนนั้นด้วย (ถ้าไม่มีการเบิกจ่ายให้กรอก 0)"
    ),
    "month_not_started": (
        'เดือน{month} ยังไม่เริ่ม จึงยังกรอกผลของ "{line}" ไม่ได้ — กรอกผลได้เฉพาะเดือนที่เริ่มแล้ว '
        "(แผนรายเดือนกรอกล่วงหน้าได้)"
    ),
    "budget_months_changed": (
        "แผนและผลรายเดือนของรายการนี้ถูกแก้โดย {by} เมื่อ {at} หลังจากที่คุณเปิดหน้านี้ — "
        "ตัวเลขที่คุณพิมพ์ยังอยู่ในช่อง — เปิดหน้านี้ในแท็บใหม่เพื่อดูตัวเลขล่าสุด แล้วกดบันทึกอีกครั้งถ้าต้องการใช้ตัวเลขของคุณแทน"
    ),
    "line_reported_by_month": (
        'รายการ "{line}" รายงานผลเป็นรายเดือน — แก้ผลที่หน้าแผนและผลรายเดือนของรายการ '
        "แล้วผลของรอบจะคำนวณให้เอง"
    ),
    "as_of_outside_round": (
        "วันที่ข้อมูล {as_of} ไม่อยู่ใน{round} ({start} ถึง {end}) — เลือกวันที่ภายในรอบ "
        "หรือเว้นว่างให้เป็นวันสุดท้ายของรอบ"
    ),
    "as_of_in_future": (
        "วันที่ข้อมูล {as_of} ยังมาไม่ถึง จึงยังบันทึกผลของ{round}ตามวันนั้นไม่ได้ — "
        "กรอกวันที่ดึงตัวเลขจริง (ภายในรอบ) หรือรอให้ถึงวันสุดท้ายของรอบ"
    ),
    "round_of_another_year": (
        'รอบ "{round}" ไม่ใช่รอบของปีงบประมาณของรายการ "{line}" — เลือกรอบของปีเดียวกับรายการ'
    ),
    "as_of_unsupported": (
        'เอกสาร "{document}" ทำตามวันที่ข้อมูลไม่ได้ — ใช้ --as-of ได้กับรายงานผลการดำเนินงานรายไตรมาส'
    ),
    "as_of_outside_report": (
        "วันที่ข้อมูล {as_of} อยู่นอกช่วงของรายงาน{round} ({start} ถึง {end}) — "
        "เลือกวันที่ตั้งแต่ต้นปีงบประมาณจนถึงวันสุดท้ายของรอบ หรือเลือกรอบที่ครอบคลุมวันนั้น"
    ),
    "budget_line_code_taken": (
        'รหัสงบประมาณ "{code}" ซ้ำกับรายการ "{other}" ของหน่วยงานในปีเดียวกัน — ใช้รหัสอื่น หรือเว้นว่าง'
    ),
    "invalid_quarter": ("ไม่มีไตรมาสที่ {quarter} — ไตรมาสต้องเป็น 1 ถึง 4 (ไตรมาสที่ 1 คือ ตุลาคม-ธันวาคม)"),
    "not_a_date": (
        '"{value}" ในช่อง "{field}" ไม่ใช่วันที่ที่อ่านได้ — กรอกเป็นวัน/เดือน/ปี พ.ศ. เช่น 31/03/2567 หรือ 31 มี.ค. 2567'
    ),
    "year_looks_ce": (
        'ปี {value} ในช่อง "{field}" ดูเหมือนเป็นปี ค.ศ. — ให้กรอกเป็นปี พ.ศ. เช่น {suggestion}'
    ),
    "year_out_of_range": (
        'ปี {value} ในช่อง "{field}" ไม่อยู่ในช่วงที่รับได้ — ให้กรอกปี พ.ศ. ระหว่าง {minimum} ถึง {maximum}'
    ),
    "period_reversed": (
        "วันเริ่มต้น ({start}) อยู่หลังวันสิ้นสุด ({end}) — ให้ตรวจสอบวันเริ่มต้นและวันสิ้นสุดของช่วงเวลาให้ถูกต้อง"
    ),
    "band_thresholds_out_of_order": (
        "เกณฑ์แบ่งช่วงผลการดำเนินงานไม่ถูกต้อง: ช่วงกลางเริ่มที่ร้อยละ {low} "
        "และช่วงบนเริ่มที่ร้อยละ {high} — ค่าช่วงกลางต้องไม่ติดลบและน้อยกว่าค่าช่วงบน"
    ),
    "explanation_threshold_negative": (
        "เกณฑ์ที่ต้องชี้แจงเหตุผลคือร้อยละ {threshold} ซึ่งติดลบ — ใส่ร้อยละตั้งแต่ 0 ขึ้นไป (ใส่ 0 ถ้าไม่ต้องการให้ชี้แจง)"
    ),
    "percent_missing": (
        'ยังไม่มีร้อยละผลการดำเนินงานเมื่อเทียบกับเป้าหมายทั้งปีของ "{item}" — '
        "ให้กรอกร้อยละ หรือระบุว่ามีแผนดำเนินงานในไตรมาสถัดไป "
        "หรือระบุว่าไม่นำมาประเมินพร้อมเหตุผล"
    ),
    "explanation_required": (
        '"{item}" มีผลการดำเนินงานร้อยละ {percent} ของเป้าหมายทั้งปี ซึ่งต่ำกว่าร้อยละ '
        '{threshold} — ให้กรอกคำอธิบายสาเหตุและแนวทางแก้ไขในช่อง "คำอธิบาย"'
    ),
    "exclusion_reason_required": (
        '"{item}" ถูกระบุว่าไม่นำมาประเมินแต่ยังไม่มีเหตุผล — ให้กรอกเหตุผลที่ไม่นำมาคิด ซึ่งจะแสดงในหมายเหตุของรายงาน'
    ),
    "override_note_required": (
        'ร้อยละ {percent} ของ "{item}" กรอกแทนค่าที่ระบบคำนวณ แต่ยังไม่มีหมายเหตุ — '
        "ให้อธิบายในหมายเหตุว่าร้อยละนี้คิดจากอะไร"
    ),
    "levels_missing": ('ตัวชี้วัด "{kpi}" ยังไม่มีเกณฑ์การให้คะแนน — ให้เพิ่มระดับคะแนนอย่างน้อยหนึ่งระดับ'),
    "levels_out_of_order": (
        'เกณฑ์การให้คะแนนของตัวชี้วัด "{kpi}" เรียงไม่ถูกต้องที่ระดับ {level} — '
        "ระดับที่สูงขึ้นต้องได้คะแนนมากขึ้น และค่าเป้าหมายต้องเรียงตามทิศทางของตัวชี้วัด "
        "(ยิ่งมากยิ่งดี หรือยิ่งน้อยยิ่งดี)"
    ),
    "level_threshold_missing": (
        'ระดับ {level} ของตัวชี้วัด "{kpi}" ยังไม่มีค่าเป้าหมาย — '
        "ให้กรอกค่าเป้าหมายของทุกระดับ หรือเปลี่ยนเป็นตัวชี้วัดแบบระดับความสำเร็จ"
    ),
    "max_points_not_positive": (
        "คะแนนเต็มของเกณฑ์การให้คะแนนเป็น {max_points} — ให้กำหนดคะแนนของระดับสูงสุดให้มากกว่า 0"
    ),
    "thresholds_count_mismatch": (
        "กรอกค่าเป้าหมาย {actual} ค่า แต่เกณฑ์การให้คะแนนมี {expected} ระดับ — "
        "ให้กรอกค่าเป้าหมายระดับละหนึ่งค่าให้ครบ {expected} ระดับ"
    ),
    "level_unknown": (
        'ตัวชี้วัด "{kpi}" ไม่มีระดับ {level} — ให้เลือกระดับที่มีในเกณฑ์การให้คะแนน หรือเว้นว่างไว้ถ้ายังไม่ผ่านระดับใด'
    ),
    "change_base_missing": (
        'ตัวชี้วัด "{kpi}" วัดการเปลี่ยนแปลง แต่ยังไม่มีค่าฐาน — กรอกปีฐานและค่าฐานของตัวชี้วัด'
        " (ผลที่ใช้เทียบ เช่น ผลของปีก่อน)"
    ),
    "change_base_zero": (
        'ตัวชี้วัด "{kpi}" วัดการเปลี่ยนแปลงจากค่าฐาน 0 ซึ่งคำนวณร้อยละการเปลี่ยนแปลงไม่ได้'
        " — ใช้ค่าฐานที่ไม่ใช่ 0 หรือเปลี่ยนลักษณะการวัดเป็นเชิงปริมาณ"
    ),
    "ratio_part_negative": (
        'ตัวชี้วัด "{kpi}" มีตัวตั้ง (A) {numerator} และตัวหาร (B) {denominator}'
        " — ตัวตั้งและตัวหารต้องไม่ติดลบ ตรวจตัวเลขที่กรอก"
    ),
    "kind_change_conflicts_results": (
        'เปลี่ยนลักษณะการวัดของตัวชี้วัด "{kpi}" เป็นแบบ{kind}ไม่ได้ เพราะมีผลที่บันทึกไว้แล้ว'
        " {count} รอบในรูปแบบอื่น — ลบหรือแก้ผลเหล่านั้นก่อน แล้วจึงเปลี่ยนลักษณะการวัด"
    ),
    "review_score_reason_missing": (
        'คณะกรรมการให้คะแนน "{kpi}" เองโดยไม่ได้ระบุเหตุผล — ระบุเหตุผลของคะแนนที่ให้'
        " (เช่น ผลอยู่ระหว่างระดับ 3 และ 4)"
    ),
    "deduction_negative": (
        'การหักคะแนน "{kpi}" เป็น {deduction} ซึ่งติดลบ — ใส่จำนวนคะแนนที่หักตั้งแต่ 0 ขึ้นไป'
    ),
    "deduction_rule_missing": (
        'มีการหักคะแนน "{kpi}" โดยไม่ได้ระบุหลักเกณฑ์ — ระบุหลักเกณฑ์การหักคะแนน'
        " (เช่น ส่งรายงานล่าช้า หัก 0.5 คะแนน)"
    ),
    "kpi_not_in_agreement": ('ตัวชี้วัดที่ส่งมาไม่อยู่ใน "{agreement}" — เปิดหน้าทบทวนผลใหม่แล้วบันทึกอีกครั้ง'),
    "entry_changed_meanwhile": (
        '"{item}" มีผู้อื่นบันทึกผลในช่วงเวลาเดียวกัน — เปิดหน้าใหม่เพื่อดูข้อมูลล่าสุดแล้วบันทึกอีกครั้ง'
    ),
    "unit_results_need_ratio": (
        'ตัวชี้วัด "{kpi}" ไม่ใช่แบบอัตราส่วน จึงรายงานผลแยกหน่วยงานเพื่อรวมเป็น ΣA/ΣB ไม่ได้'
        " — รายงานผลรวมของหน่วยงานในหน้าผลตัวชี้วัด"
    ),
    "unit_outside_organization": (
        '"{unit}" ไม่ได้อยู่ภายใต้หน่วยงานเจ้าของตัวชี้วัด "{kpi}" — เลือกหน่วยงานในสังกัดเท่านั้น'
    ),
    "unit_twice": ('"{unit}" อยู่ในตารางผลรายหน่วยงานของ "{kpi}" มากกว่าหนึ่งแถว — รวมเป็นแถวเดียว'),
    "kpi_value_wrong_kind": (
        'ตัวชี้วัด "{kpi}" เป็นแบบ{kind} แต่ผลที่กรอกเป็น{got} — ให้กรอกผลในรูปแบบที่ตรงกับแบบของตัวชี้วัด'
    ),
    "weight_negative": ('น้ำหนักในกลุ่ม "{group}" มีค่า {value} ซึ่งติดลบ — ให้กรอกน้ำหนักตั้งแต่ 0 ขึ้นไป'),
    "group_weights_mismatch": (
        'น้ำหนักตัวชี้วัดในกลุ่ม "{group}" รวมได้ {actual} แต่ต้องเท่ากับ {expected} — '
        "แก้น้ำหนักของตัวชี้วัดในกลุ่มนี้ให้รวมกันได้ {expected}"
    ),
    "total_weight_mismatch": (
        "น้ำหนักของทุกกลุ่มตัวชี้วัดรวมได้ {actual} แต่ต้องเท่ากับ {expected} — "
        "แก้น้ำหนักของแต่ละกลุ่มให้รวมกันได้ {expected}"
    ),
    "score_out_of_range": (
        'คะแนนของตัวชี้วัด "{kpi}" เป็น {score} ซึ่งอยู่นอกช่วง 0 ถึง {max_points} — ให้แก้คะแนนให้อยู่ในช่วงนี้'
    ),
    # Raised by the services and selectors outside the core.
    "organization_unknown": (
        'ไม่พบหน่วยงานรหัส "{code}" — ตรวจรหัสหน่วยงาน (เช่น onesqa) หรือเพิ่มหน่วยงานก่อน'
    ),
    "plan_missing": ("{org} ยังไม่มีแผนปฏิบัติราชการของปีงบประมาณ {year} — สร้างแผนของปีนั้นก่อนออกรายงาน"),
    "plan_missing_subtree": (
        "{org} และหน่วยงานในสังกัดยังไม่มีแผนปฏิบัติราชการของปีงบประมาณ {year} เลย"
        " — สร้างแผนของปีนั้นอย่างน้อยหนึ่งแผนก่อนออกรายงาน"
    ),
    "subtree_unsupported": (
        "{document} ออกได้ทีละหน่วยงาน (ไม่มีแบบรวมหน่วยงานในสังกัด)"
        " — ออกเอกสารของแต่ละหน่วยงาน หรือใช้ tidtam report summary เพื่อดูหน่วยงานในสังกัดเทียบกัน"
    ),
    "plan_exists": (
        "{org} มีแผนปฏิบัติราชการของปีงบประมาณ {year} อยู่แล้ว — เปิดแผนนั้นเพื่อแก้ไข"
        " หรือเลือกปีงบประมาณอื่นที่ยังไม่มีแผน"
    ),
    "fiscal_year_exists": (
        "มีปีงบประมาณ {year} พร้อมรอบรายงานอยู่แล้ว — แก้กำหนดส่งผลของรอบในปีนั้นแทนการเพิ่มใหม่"
    ),
    "person_not_in_unit": (
        '"{person}" ไม่ได้สังกัด {unit} — เลือกผู้รายงานผลที่อยู่ในหน่วยงานนั้น หรือเว้นว่างให้ทุกคนในหน่วยงานรายงานได้'
    ),
    "agreement_missing": (
        "{org} ยังไม่มีคำรับรองการปฏิบัติราชการของปีงบประมาณ {year} — สร้างคำรับรองของปีนั้นก่อน"
    ),
    "agreement_exists": (
        "{org} มีคำรับรองการปฏิบัติราชการของปีงบประมาณ {year} อยู่แล้ว — เปิดคำรับรองนั้นเพื่อแก้ไข"
        " หรือเลือกปีงบประมาณปลายทางอื่นที่ยังไม่มีคำรับรอง"
    ),
    "indicators_exist": (
        "{org} มีตัวชี้วัดของปีงบประมาณ {year} อยู่แล้ว {count} ตัว — แก้ไขตัวชี้วัดเหล่านั้นแทนการคัดลอกซ้ำ"
        " หรือเลือกปีงบประมาณปลายทางอื่น"
    ),
    "indicators_missing": (
        "{org} ยังไม่มีตัวชี้วัดหรือคำรับรองของปีงบประมาณ {year} ให้คัดลอก — เลือกปีงบประมาณต้นทางที่มีตัวชี้วัดแล้ว"
    ),
    "copy_year_not_later": (
        "ปีงบประมาณปลายทาง ({to_year}) ต้องอยู่หลังปีงบประมาณต้นทาง ({from_year})"
        " — เลือกปีปลายทางที่ใหม่กว่าปีที่จะคัดลอก"
    ),
    "strategic_project_name_required": (
        "ยังไม่ได้กรอกชื่อโครงการ — กรอกชื่อโครงการตามที่เขียนในแผนยุทธศาสตร์ของหน่วยงาน"
    ),
    "strategic_project_strategy_required": (
        '"{project}" ยังไม่ได้เลือกกลยุทธ์ — เลือกกลยุทธ์ของแผนยุทธศาสตร์ที่โครงการนี้อยู่'
    ),
    "strategic_project_unit_outside": (
        "{units} ไม่ใช่หน่วยงานของ{org} — เลือกหน่วยงานรับผิดชอบจาก{org}หรือหน่วยงานในสังกัด"
    ),
    "strategic_project_units_changed": (
        "หน่วยงานรับผิดชอบของโครงการนี้ถูกแก้ไขโดย {by} เมื่อ {at} หลังจากที่คุณเปิดหน้านี้"
        " — ยังไม่มีการเปลี่ยนแปลงใดถูกบันทึก ข้อมูลที่คุณกรอกยังอยู่ครบ ตรวจหน่วยงานล่าสุด"
        " (เปิดหน้านี้ในแท็บใหม่) แล้วกดบันทึกอีกครั้งถ้าต้องการใช้ข้อมูลของคุณแทน"
    ),
    "strategic_project_has_results": (
        '"{project}" มีผลการดำเนินงานหรืออยู่ในคำรับรองแล้ว จึงลบไม่ได้'
        " — ถ้าไม่ดำเนินโครงการนี้แล้ว ให้บันทึกเหตุผลในผลการดำเนินงานของรอบ"
    ),
    "kpi_number_taken": (
        'คำรับรองนี้มีตัวชี้วัดที่ {number} อยู่แล้ว ("{other}") — ใช้เลขลำดับอื่นที่ยังไม่มีในคำรับรองนี้'
    ),
    "owner_duplicate": (
        '"{person}" ถูกเลือกเป็นผู้รับผิดชอบตัวชี้วัด "{kpi}" มากกว่าหนึ่งครั้ง — เลือกแต่ละคนเพียงครั้งเดียว'
    ),
    "owner_not_in_organization": (
        '"{person}" ไม่ได้สังกัด {org} — เลือกผู้รับผิดชอบตัวชี้วัดจากบุคลากรของหน่วยงานเจ้าของตัวชี้วัด'
    ),
    "round_missing": ("ปีงบประมาณ {year} ยังไม่มีรอบรายงาน {months} เดือน — เพิ่มรอบนี้ในหน้าปีงบประมาณก่อน"),
    "round_closed": (
        '{round} ปิดรับรายงานแล้ว จึงบันทึกหรือส่งผลของ "{item}" ไม่ได้'
        " — ขอให้ผู้วางแผนของหน่วยงานเปิดรอบนี้อีกครั้ง หรือเปิดรายการนี้ให้แก้ไขพร้อมระบุเหตุผล"
    ),
    "progress_missing": (
        '"{item}" ยังไม่มีผลการดำเนินงานรอบ {round} เดือน — ให้ผู้รับผิดชอบบันทึกผล'
        " หรือระบุว่ามีแผนในไตรมาสหลัง / ไม่นำมาคิดผลพร้อมเหตุผล"
    ),
    "percent_missing_data": (
        '"{item}" คำนวณร้อยละไม่ได้เพราะยังไม่มีจำนวนผลหรือค่าเป้าหมาย'
        " — กรอกจำนวนผลและค่าเป้าหมาย หรือเลือกกรอกร้อยละเองพร้อมเหตุผล"
    ),
    "percent_note_required": (
        '"{item}" กรอกร้อยละเอง แต่ยังไม่ได้บอกเหตุผล — ระบุในช่อง "เหตุผลที่กรอกร้อยละเอง" ว่าร้อยละนี้ได้มาอย่างไร'
    ),
    "monthly_quantity_needs_target": (
        '"{item}" ยังไม่มีค่าเป้าหมาย (จำนวน) จึงยังมีแผนรายเดือนไม่ได้ — กรอกค่าเป้าหมายและหน่วยนับในหน้าแก้ไขโครงการก่อน'
    ),
    "monthly_quantity_total": (
        'แผนรายเดือนของ "{item}" รวม {total} {unit} ไม่เท่ากับค่าเป้าหมาย {target} {unit} — '
        "ปรับแผนรายเดือนให้รวมเท่ากับค่าเป้าหมาย หรือเว้นว่างทุกเดือนถ้ายังไม่มีแผนรายเดือน"
    ),
    "milestone_from_months": (
        '"{item}" มีแผนรายเดือน แผน{round}จึงเป็น {planned} {unit} ตามแผนรายเดือน — '
        "แก้จำนวนที่หน้าแผนและผลรายเดือนของโครงการ หรือเว้นว่างแผนรายเดือนทุกเดือนก่อน"
    ),
    "work_item_months_changed": (
        "แผนและผลรายเดือนของโครงการนี้ถูกแก้โดย {by} เมื่อ {at} หลังจากที่คุณเปิดหน้านี้ — "
        "ตัวเลขที่คุณพิมพ์ยังอยู่ในช่อง — เปิดหน้านี้ในแท็บใหม่เพื่อดูตัวเลขล่าสุด แล้วกดบันทึกอีกครั้งถ้าต้องการใช้ตัวเลขของคุณแทน"
    ),
    "person_email_taken": (
        "อีเมล {email} ใช้เข้าระบบอยู่แล้ว ({who}) — ถ้าเป็นคนเดียวกัน ให้กำหนดบทบาทให้คนนั้นแทนการเชิญใหม่"
    ),
    "person_without_sign_in": (
        '"{person}" ไม่มีบัญชีเข้าระบบ จึงเปิดหรือปิดการเข้าระบบไม่ได้ — เชิญด้วยอีเมลเพื่อสร้างบัญชี'
    ),
    "role_until_past": ("วันสิ้นสุดบทบาท {until} ผ่านมาแล้ว — เลือกวันที่ตั้งแต่วันนี้ไป หรือเอาบทบาทออกแทน"),
    "person_self_deactivate": ("ปิดการเข้าระบบของตนเองไม่ได้ — ให้ผู้ดูแลระบบอีกคนของหน่วยงานเป็นผู้ปิด"),
    "work_item_budget_missing": (
        '"{item}" ยังไม่มีงบประมาณของโครงการ — กรอกงบประมาณ (บาท) ในหน้าแก้ไขโครงการก่อน'
        " แล้วจึงสร้างรายการงบประมาณของโครงการ"
    ),
    "work_item_has_line": (
        '"{item}" ใช้รายการงบประมาณ "{line}" อยู่แล้ว — แก้แผนและผลรายเดือนที่รายการนั้น'
        ' หรือเลือก "— ไม่ใช้ผลเบิกจ่าย —" ในหน้าแก้ไขโครงการก่อนสร้างรายการใหม่'
    ),
    "budget_line_missing": (
        '"{item}" ใช้ผลเบิกจ่ายของรายการงบประมาณ แต่ยังไม่ได้เลือกรายการงบประมาณ'
        " — เลือกรายการงบประมาณในหน้าแก้ไขโครงการก่อน"
    ),
    # The review workflow and evidence files.
    "transition_not_allowed": (
        '"{item}" อยู่ในสถานะ "{status}" จึง{action}ไม่ได้'
        " — ดูสถานะล่าสุดในหน้ารายการ แล้วเลือกขั้นตอนที่ทำได้ในสถานะนั้น"
    ),
    "comment_required": (
        'การ{action} "{item}" ต้องระบุเหตุผล — เขียนในช่องความเห็นว่าต้องแก้ไขอะไร หรือเปิดใหม่เพราะอะไร'
    ),
    "entry_locked": (
        '"{item}" อยู่ในสถานะ "{status}" จึงแก้ไขไม่ได้ — ถ้าต้องแก้ ให้ผู้อนุมัติส่งกลับให้แก้ไข หรือเปิดใหม่พร้อมเหตุผล'
    ),
    "approver_is_submitter": (
        'คุณเป็นผู้ส่งผล "{item}" จึงอนุมัติรายการเดียวกันเองไม่ได้ (แยกหน้าที่ผู้ส่งกับผู้อนุมัติ)'
        " — ให้ผู้อนุมัติคนอื่นของหน่วยงานตรวจ หรือให้ผู้ดูแลระบบปิดการแยกหน้าที่ถ้าหน่วยงานมีผู้รับผิดชอบคนเดียว"
    ),
    "owners_changed": (
        "รายชื่อผู้รับผิดชอบตัวชี้วัดนี้ถูกแก้ไขโดย {by} เมื่อ {at} หลังจากที่คุณเปิดหน้านี้"
        " — ยังไม่มีการเปลี่ยนแปลงใดถูกบันทึก รายชื่อที่คุณเลือกยังอยู่ครบ ตรวจรายชื่อล่าสุด"
        " (เปิดหน้านี้ในแท็บใหม่) แล้วกดบันทึกอีกครั้งถ้าต้องการใช้รายชื่อของคุณแทน"
    ),
    "levels_changed": (
        "เกณฑ์การให้คะแนนของตัวชี้วัดนี้ถูกแก้ไขโดย {by} เมื่อ {at} หลังจากที่คุณเปิดหน้านี้"
        " — ยังไม่มีการเปลี่ยนแปลงใดถูกบันทึก ค่าที่คุณพิมพ์ยังอยู่ครบ ตรวจเกณฑ์ล่าสุด"
        " (เปิดหน้านี้ในแท็บใหม่) แล้วกดบันทึกอีกครั้งถ้าต้องการใช้ค่าของคุณแทน"
    ),
    "weights_changed": (
        "องค์ประกอบหรือน้ำหนักของคำรับรองนี้ถูกแก้ไขโดย {by} เมื่อ {at} หลังจากที่คุณเปิดหน้านี้"
        " — ยังไม่มีการเปลี่ยนแปลงใดถูกบันทึก ค่าที่คุณพิมพ์ยังอยู่ครบ ตรวจตัวเลขล่าสุด"
        " (เปิดหน้านี้ในแท็บใหม่) แล้วกดบันทึกอีกครั้งถ้าต้องการใช้ค่าของคุณแทน"
    ),
    "entry_conflict": (
        '"{item}" ถูกแก้ไขโดย {by} เมื่อ {at} หลังจากที่คุณเปิดแบบฟอร์มนี้ ({fields})'
        " — ข้อมูลที่คุณพิมพ์ยังอยู่ครบ ตรวจสิ่งที่เปลี่ยนไป แล้วกดบันทึกอีกครั้งถ้าต้องการใช้ข้อมูลของคุณแทน"
    ),
    "percent_out_of_range": (
        '"{item}" ได้ร้อยละ {percent} ซึ่งเกินกว่าที่บันทึกได้ (ไม่เกิน 99,999.9999)'
        " — ตรวจจำนวนผลและหน่วยนับอีกครั้ง ผลอาจพิมพ์เกินหรือเป้าหมายอาจตั้งไว้ผิดหน่วย"
    ),
    "unlock_round_open": (
        'รอบนี้ของ "{item}" ยังเปิดรับรายงานอยู่ ผู้รายงานแก้ไขได้ตามปกติ — ใช้การอนุญาตรายรายการเฉพาะเมื่อปิดรอบแล้ว'
    ),
    "entry_empty": (
        '"{item}" ยังไม่มีผลการดำเนินงาน — กรอกผล (ข้อความ จำนวน หรือระดับที่ทำได้) แล้วบันทึกก่อนส่ง'
    ),
    "evidence_type": (
        'ไฟล์ "{file}" เป็นชนิดที่ไม่รับเป็นหลักฐาน — แนบได้เฉพาะ {allowed} (บันทึกเป็น PDF ก่อนถ้าเป็นชนิดอื่น)'
    ),
    "evidence_empty": ('ไฟล์ "{file}" ว่างเปล่า (0 ไบต์) — ตรวจสอบไฟล์แล้วแนบใหม่'),
    "evidence_too_large": (
        'ไฟล์ "{file}" มีขนาด {size_mb} MB เกินกำหนด {max_mb} MB — ย่อขนาดไฟล์ (เช่น ลดความละเอียดภาพ'
        " หรือแยกเป็นหลายไฟล์) แล้วแนบใหม่"
    ),
    "evidence_content": (
        'ไฟล์ "{file}" มีนามสกุล .{ext} แต่เนื้อไฟล์ไม่ใช่ไฟล์ {ext} — บันทึกไฟล์ใหม่จากโปรแกรมต้นทางแล้วแนบอีกครั้ง'
    ),
    # Raised while making documents.
    "ita_item_missing": (
        'ยังไม่ได้กำหนดรหัสข้อ ITA ของปี {year} สำหรับ "{publication}"'
        " — เพิ่มในหน้าผู้ดูแลระบบ (ข้อการเปิดเผยข้อมูล ITA) ตามแบบการประเมินของปีนั้น"
    ),
    "prose_missing": (
        'ไม่พบถ้อยคำ "{key}" ของเอกสาร "{document}" — วางไฟล์ {file} ไว้ในโฟลเดอร์ prose ของระบบ'
        " หรือลบไฟล์ที่ตั้งชื่อผิดออก"
    ),
    "prose_invalid": (
        'ถ้อยคำ "{key}" ของเอกสาร "{document}" เขียนไม่ถูกแบบแม่แบบ: {problem}'
        " — แก้ไฟล์ในโฟลเดอร์ prose ของระบบให้ถูกต้อง (เช่น วงเล็บ {{{{ }}}} ให้ครบคู่)"
    ),
    "document_unknown": ('ไม่รู้จักเอกสาร "{document}" — เลือกหนึ่งใน {choices}'),
    "format_unsupported": ('เอกสาร "{document}" ยังทำเป็นไฟล์ {format} ไม่ได้ — เลือกหนึ่งใน {choices}'),
    "office_missing": (
        "เครื่องนี้ยังไม่มี LibreOffice จึงทำไฟล์ PDF ไม่ได้ — ให้ผู้ดูแลระบบติดตั้ง"
        " (apt-get install libreoffice-writer-nogui) หรือดาวน์โหลดเป็น DOCX แล้วบันทึกเป็น PDF จาก Word"
    ),
    "office_failed": (
        "LibreOffice แปลงเอกสารเป็น PDF ไม่สำเร็จ ({detail}) — ลองใหม่อีกครั้ง"
        " ถ้ายังไม่ได้ให้ดาวน์โหลดเป็น DOCX แล้วแจ้งผู้ดูแลระบบ"
    ),
    "password_reset_limited_email": (
        'ขอลิงก์ตั้งรหัสผ่านใหม่ไปที่ "{email}" ครบ {limit} ครั้งในหนึ่งชั่วโมงแล้ว — '
        "ให้ตรวจกล่องจดหมาย (รวมถึงจดหมายขยะ) หาลิงก์ที่ส่งไปแล้ว หรือรออีกประมาณ {minutes} นาทีแล้วขอใหม่"
    ),
    "password_reset_limited_ip": (
        "มีการขอตั้งรหัสผ่านใหม่จากเครื่องนี้หรือเครือข่ายเดียวกันครบ {limit} ครั้งในหนึ่งชั่วโมงแล้ว — "
        "รออีกประมาณ {minutes} นาทีแล้วขอใหม่ หรือติดต่อผู้ดูแลระบบของหน่วยงานให้ตั้งรหัสผ่านให้"
    ),
    "render_job_stale": (
        "งานจัดทำเอกสารนี้หยุดค้างที่ร้อยละ {progress} ({stage}) เพราะไม่มีสัญญาณจากเครื่องที่จัดทำนานเกิน"
        ' {seconds} วินาที (เครื่องจัดทำอาจหยุดทำงานหรือถูกปิดกลางคัน) — กด "สั่งจัดทำอีกครั้ง"'
        " ถ้ายังค้างอีกให้ผู้ดูแลระบบตรวจว่า tidtam db_worker ยังทำงานอยู่"
    ),
    "render_job_not_retryable": (
        'งานจัดทำเอกสารนี้อยู่ในสถานะ "{status}" จึงสั่งจัดทำอีกครั้งไม่ได้'
        " — สั่งซ้ำได้เฉพาะงานที่ไม่สำเร็จ ถ้ายังรออยู่ให้รอจนเสร็จหรือไม่สำเร็จก่อน"
    ),
    "backup_unreadable": (
        'อ่านไฟล์สำรอง "{path}" ไม่ได้ ({detail}) — ตรวจว่าเป็นไฟล์ที่ได้จาก tidtam backup และคัดลอกมาครบทั้งไฟล์'
    ),
    "backup_checksum_mismatch": (
        'ไฟล์ "{name}" ในไฟล์สำรองไม่ตรงกับค่าตรวจสอบ (sha256) ที่บันทึกไว้ตอนสำรอง'
        " — ไฟล์สำรองเสียหายหรือถูกแก้ไข ให้ใช้ไฟล์สำรองชุดอื่น ยังไม่ได้กู้คืนสิ่งใด"
    ),
    "backup_tool_missing": (
        "เครื่องนี้ไม่มีโปรแกรม {tool} ของ PostgreSQL — ให้ผู้ดูแลระบบติดตั้ง postgresql-client"
        " รุ่นเดียวกับหรือใหม่กว่าเซิร์ฟเวอร์ แล้วสั่งอีกครั้ง"
    ),
    "backup_tool_failed": ("{tool} ทำงานไม่สำเร็จ ({detail}) — ตรวจข้อความนี้กับผู้ดูแลฐานข้อมูล แล้วสั่งอีกครั้ง"),
    "restore_database_not_empty": (
        'ฐานข้อมูล "{database}" มีตารางอยู่แล้ว {count} ตาราง (เช่น {example}) จึงไม่กู้คืนทับ'
        " — สร้างฐานข้อมูลใหม่ที่ว่างเปล่า (ยังไม่ migrate) แล้วตั้ง DATABASE_URL ไปที่ฐานข้อมูลนั้น"
    ),
    "restore_folder_not_empty": (
        'โฟลเดอร์ {label} "{path}" มีไฟล์อยู่แล้ว {count} ไฟล์ จึงไม่กู้คืนทับ'
        " — ย้ายไฟล์เดิมออกหรือตั้ง TIDTAM_VAR_DIR ไปที่โฟลเดอร์ใหม่ที่ว่างเปล่า"
    ),
    "restore_vendor_mismatch": (
        "ไฟล์สำรองนี้มาจากฐานข้อมูล {source} แต่ DATABASE_URL ชี้ไปที่ {target}"
        " — กู้คืนเข้าฐานข้อมูลชนิดเดียวกับที่สำรองมา ({source})"
    ),
    "restore_newer_migrations": (
        "ไฟล์สำรองมีโครงสร้างข้อมูลที่ tidtam รุ่นนี้ไม่รู้จัก ({migrations}) — ติดตั้ง tidtam รุ่น {version}"
        " หรือใหม่กว่าก่อน แล้วกู้คืนอีกครั้ง"
    ),
    # Bad input caught before or by the database (tidtam/ui/errors.py, tidtam/web/middleware.py).
    "text_too_long": (
        'ช่อง "{field}" ยาว {length} ตัวอักษร เกินที่รับได้ {limit} ตัวอักษร — '
        "ให้ย่อข้อความให้เหลือไม่เกิน {limit} ตัวอักษร (รายละเอียดยาว ๆ ให้แนบเป็นไฟล์หลักฐาน)"
    ),
    "null_character": (
        'ช่อง "{field}" มีอักขระ NUL (รหัส 0) ซึ่งมักติดมาจากการคัดลอกจากไฟล์หรือโปรแกรมอื่น — '
        "ให้ลบข้อความในช่องนั้นแล้วพิมพ์หรือวางใหม่เป็นข้อความธรรมดา"
    ),
    "invalid_text": (
        'ช่อง "{field}" มีอักขระที่ไม่ใช่ข้อความที่อ่านได้ (รหัสอักขระเสีย) — '
        "ให้ลบข้อความในช่องนั้นแล้วพิมพ์หรือวางใหม่เป็นข้อความธรรมดา"
    ),
    "request_too_big": (
        "ข้อมูลที่ส่งมีขนาด {size} ซึ่งเกินขนาดที่รับได้ต่อการบันทึกหนึ่งครั้ง ({limit}) — "
        "ไฟล์หลักฐานแต่ละไฟล์ต้องไม่เกิน {file_limit} ให้ย่อขนาดไฟล์ (เช่น บันทึก PDF แบบขนาดเล็ก"
        " หรือบีบอัดเป็น ZIP) หรือแนบทีละไฟล์ แล้วบันทึกใหม่"
    ),
    "too_many_fields": (
        "แบบฟอร์มที่ส่งมีจำนวนช่องเกินที่รับได้ ({limit} ช่อง) — ให้บันทึกทีละส่วน"
        " หรือแจ้งผู้ดูแลระบบถ้าหน้านี้มีรายการมากกว่านั้นจริง"
    ),
    "too_many_files": (
        "แนบไฟล์พร้อมกันเกินที่รับได้ ({limit} ไฟล์) — ให้แนบไม่เกิน {limit} ไฟล์ต่อการบันทึกหนึ่งครั้ง"
        " หรือรวมไฟล์เป็น ZIP"
    ),
    "database_refused": (
        "ระบบบันทึกข้อมูลนี้ไม่ได้เพราะค่าที่กรอกเกินขอบเขตที่ฐานข้อมูลเก็บได้ ({detail}) — "
        "ตรวจตัวเลขและความยาวข้อความในแบบฟอร์ม แล้วบันทึกใหม่ ข้อมูลเดิมยังไม่ถูกเปลี่ยน"
    ),
    # --- the Excel round trip (tidtam.transfer) ---
    "import_too_big": (
        "ไฟล์มีขนาด {size} MB เกินขนาดที่นำเข้าได้ ({limit} MB) — แบ่งเป็นหลายไฟล์"
        " หรือลบแผ่นงานที่ไม่เกี่ยวข้องออกแล้วอัปโหลดใหม่"
    ),
    "import_encrypted": (
        'ไฟล์ "{file}" ถูกตั้งรหัสผ่านไว้ ระบบจึงอ่านไม่ได้ — เปิดไฟล์ใน Excel แล้วเอารหัสผ่านออก'
        " (ไฟล์ > ข้อมูล > ป้องกันเวิร์กบุ๊ก > เข้ารหัสด้วยรหัสผ่าน ลบรหัสผ่าน) แล้วบันทึกและอัปโหลดใหม่"
    ),
    "import_old_xls": (
        'ไฟล์ "{file}" เป็น Excel รุ่นเก่า (.xls) — เปิดใน Excel แล้วบันทึกเป็น "สมุดงาน Excel (.xlsx)" แล้วอัปโหลดใหม่'
    ),
    "import_not_xlsx": (
        'ไฟล์ "{file}" ไม่ใช่ไฟล์ Excel (.xlsx) หรือไฟล์เสียหาย — ส่งออกแบบฟอร์มจาก tidtam'
        " หรือบันทึกไฟล์เป็น .xlsx แล้วอัปโหลดใหม่"
    ),
    "import_zip_bomb": (
        'ไฟล์ "{file}" เมื่อคลายแล้วมีขนาดใหญ่ผิดปกติ ระบบจึงไม่เปิดอ่าน — ใช้แบบฟอร์มที่ส่งออกจาก tidtam'
        " หรือคัดลอกเฉพาะข้อมูลไปวางในไฟล์ใหม่"
    ),
    "import_macros": (
        'ไฟล์ "{file}" มีมาโคร (VBA) ระบบไม่รับไฟล์ที่มีมาโครเพื่อความปลอดภัย — บันทึกเป็น'
        ' "สมุดงาน Excel (.xlsx)" ซึ่งไม่มีมาโคร แล้วอัปโหลดใหม่'
    ),
    "import_formula": (
        'แผ่นงาน "{sheet}" ช่อง {cell} เป็นสูตร — ระบบนำเข้าเฉพาะค่า ให้คัดลอกช่องนั้นแล้ววางแบบ'
        ' "วางค่า" (Paste Values) แทนสูตร แล้วอัปโหลดใหม่'
    ),
    "import_merged": (
        'แผ่นงาน "{sheet}" มีการผสานเซลล์ {cells} — ยกเลิกการผสานเซลล์ (หนึ่งช่องหนึ่งค่า)'
        " แล้วใส่ค่าในทุกแถวที่ต้องการ แล้วอัปโหลดใหม่"
    ),
    "import_too_many_rows": (
        'แผ่นงาน "{sheet}" มีข้อมูลเกิน {limit} แถว — แบ่งเป็นหลายไฟล์ (เช่น แยกตามหน่วยงาน) แล้วนำเข้าทีละไฟล์'
    ),
    "import_not_a_number": (
        'ช่อง "{field}" เป็น "{value}" ซึ่งไม่ใช่ตัวเลข — พิมพ์เป็นตัวเลข เช่น 1,345 หรือ 171.52'
        " (ใช้เลขไทยได้) หรือเว้นว่างถ้ายังไม่มีค่า"
    ),
    "import_month_outside_year": (
        'ช่อง "{field}" เป็น "{value}" ซึ่งไม่อยู่ในปีงบประมาณ {year} (ตุลาคมถึงกันยายน)'
        " — ใช้เดือนตามที่แบบฟอร์มส่งออกไว้ ปีเป็น พ.ศ."
    ),
    "import_columns_missing": (
        'แผ่นงาน "{sheet}" ไม่มีคอลัมน์ {columns} — ใช้แบบฟอร์มที่ส่งออกจาก tidtam'
        " โดยไม่เปลี่ยนชื่อหัวคอลัมน์ในแถวแรก"
    ),
    "import_row_refused": (
        'บันทึก "{label}" ไม่ได้เพราะค่าเกินขอบเขตที่ฐานข้อมูลเก็บได้ — ตรวจตัวเลขและความยาวข้อความของแถวนี้'
    ),
    "import_choice": ('ช่อง "{field}" เป็น "{value}" ซึ่งไม่มีในรายการ — เลือกจาก: {choices}'),
    "import_required": ('ช่อง "{field}" ว่าง — กรอกค่าในช่องนี้'),
    "import_unknown_unit": (
        'ไม่พบหน่วยงานรหัส "{code}" — ใช้รหัสหน่วยงานตามหน้าหน่วยงานของ tidtam คั่นหลายหน่วยงานด้วยจุลภาค'
    ),
    "import_unknown_key": (
        'ไม่พบ "{key}" ในช่อง "{field}" ของข้อมูลนี้ — รหัสอ้างอิงต้องเป็นตามที่ส่งออก'
        " (ห้ามแก้) ถ้าเป็นแถวใหม่ให้เว้นรหัสอ้างอิงว่าง"
    ),
    "import_key_twice": ('รหัสอ้างอิง "{key}" อยู่ในไฟล์มากกว่าหนึ่งแถว — ลบแถวที่ซ้ำให้เหลือแถวเดียว'),
    "import_activity_elsewhere": (
        'กิจกรรม "{key}" ไม่ได้อยู่ใต้ผลผลิตของแถวนี้ — ใช้รหัสอ้างอิงผลผลิตของกิจกรรมนั้น'
    ),
    "import_sheet_missing": (
        'ไฟล์ไม่มีแผ่นงาน "{sheet}" — ใช้แบบฟอร์มที่ส่งออกจาก tidtam โดยไม่เปลี่ยนชื่อแผ่นงาน'
    ),
    "import_round_missing": (
        "ไม่ได้ระบุรอบรายงาน — ระบุรอบ (3, 6, 9 หรือ 12 เดือน) ของผลการดำเนินงานที่ส่งออกหรือนำเข้า"
    ),
    "import_not_reportable": (
        'รหัสอ้างอิง "{key}" ไม่ใช่โครงการหรือตัวชี้วัดที่คุณรายงานได้ในรอบนี้ — ตรวจรหัสอ้างอิง'
        " หรือส่งออกแบบฟอร์มของรอบนี้ใหม่"
    ),
    "import_level": ('ช่อง "{field}" เป็น {value} — ขั้นความสำเร็จต้องเป็นจำนวนเต็ม 0 ถึง 5'),
    "import_unknown_org": ('ไม่พบหน่วยงานรหัส "{org}" — ตรวจรหัสหน่วยงาน'),
    "import_no_lines": (
        "{org} ยังไม่มีรายการงบประมาณของปีงบประมาณ {year} — เพิ่มรายการงบประมาณก่อน แล้วส่งออกแบบฟอร์มใหม่"
    ),
    "import_month_twice": ('"{line}" มีเดือน{month} มากกว่าหนึ่งแถว — ลบแถวที่ซ้ำให้เหลือแถวเดียว'),
    "export_unknown": ('ส่งออก "{kind}" ไม่ได้ — ส่งออกได้: {kinds}'),
    "publication_not_yours": ("คุณไม่มีสิทธิ์เผยแพร่เอกสารของ {org} — ผู้วางแผนของหน่วยงานเป็นผู้เผยแพร่"),
    "publication_unknown": (
        'เอกสาร "{document}" เผยแพร่ต่อสาธารณะไม่ได้ — เลือกแผนปฏิบัติการประจำปี รายงานรอบ 6 เดือน'
        " หรือรายงานประจำปี"
    ),
    "import_not_yours": ("คุณไม่มีสิทธิ์นำเข้าหรือส่งออกข้อมูลนี้ของ {org} — ขอสิทธิ์จากผู้ดูแลของหน่วยงาน"),
    "import_wrong_template": (
        'ไฟล์ "{file}" ไม่ใช่แบบฟอร์มของ tidtam และไม่ใช่ตารางแผนหรือตารางผลการดำเนินงานที่ระบบอ่านได้'
        " — ส่งออกแบบฟอร์มจาก tidtam แล้วกรอกในแบบฟอร์มนั้น"
    ),
    "import_needs_target": (
        "ไฟล์นี้เป็น{layout} — ระบุหน่วยงาน ปีงบประมาณ (และรอบ สำหรับผลการดำเนินงาน) ที่จะนำเข้า"
    ),
    "import_row_outside": (
        '"{item}" ไม่อยู่ใต้ผลผลิตและกิจกรรม — ใส่แถว "ผลผลิตที่ …" และ "กิจกรรมที่ …" ก่อนรายการของกิจกรรมนั้น'
    ),
    "import_item_by_name": (
        'ไม่พบโครงการชื่อ "{item}" ในแผนของปีนี้ — ชื่อต้องตรงกับในแผน (นำเข้าแผนก่อน หรือแก้ชื่อให้ตรง)'
    ),
    "import_no_agreement": (
        "{org} ยังไม่มีคำรับรองการปฏิบัติราชการของปีงบประมาณ {year} — เริ่มคำรับรองที่หน้าคำรับรองก่อน"
        " แล้วส่งออกแบบฟอร์มใหม่"
    ),
    "import_whole_number": ('ช่อง "{field}" เป็น {value} — ต้องเป็นจำนวนเต็ม'),
    "import_group_weight_differs": (
        'น้ำหนักขององค์ประกอบ "{group}" ไม่เท่ากันทุกแถว — พิมพ์น้ำหนักองค์ประกอบให้ตรงกันในทุกแถวขององค์ประกอบนั้น'
    ),
    "import_failed": (
        'นำเข้าไฟล์ "{file}" ไม่สำเร็จเพราะข้อผิดพลาดของระบบ ไม่มีข้อมูลใดถูกบันทึก — ลองอัปโหลดใหม่อีกครั้ง'
        " ถ้ายังไม่สำเร็จให้แจ้งผู้ดูแลระบบพร้อมไฟล์นี้"
    ),
    "import_no_file": ("ยังไม่ได้เลือกไฟล์ — เลือกไฟล์ Excel (.xlsx) ที่จะนำเข้า"),
    "duplicate_row": (
        "มีข้อมูลนี้อยู่แล้ว หรือมีคนบันทึกรายการเดียวกันไปพร้อมกัน — โหลดหน้านี้ใหม่เพื่อดูข้อมูลล่าสุด แล้วบันทึกอีกครั้งถ้ายังต้องแก้"
    ),
    # The REST API (/api/v1/): every refusal is JSON with its code and one of these.
    "api_token_missing": (
        "คำขอนี้ไม่มีโทเค็น API — ส่งหัว Authorization: Bearer ตามด้วยโทเค็น "
        'ซึ่งสร้างได้ที่หน้า "โทเค็น API" ของคุณ (เมนูชื่อผู้ใช้)'
    ),
    "api_token_unknown": (
        'ไม่รู้จักโทเค็น API ที่ส่งมา — ตรวจว่าคัดลอกมาครบทั้งสาย หรือสร้างโทเค็นใหม่ที่หน้า "โทเค็น API" ของคุณ'
    ),
    "api_token_revoked": (
        'โทเค็น API {prefix} ถูกยกเลิกแล้วเมื่อ {at} — สร้างโทเค็นใหม่ที่หน้า "โทเค็น API" ของคุณ'
    ),
    "api_token_expired": (
        'โทเค็น API {prefix} หมดอายุแล้วเมื่อ {at} — สร้างโทเค็นใหม่ที่หน้า "โทเค็น API" ของคุณ'
    ),
    "api_account_inactive": ("บัญชีเจ้าของโทเค็น API {prefix} ถูกระงับการใช้งาน — ติดต่อผู้ดูแลระบบของหน่วยงาน"),
    "api_token_read_only": (
        "โทเค็น API {prefix} มีสิทธิ์อ่านอย่างเดียว จึงบันทึกหรือเปลี่ยนข้อมูลไม่ได้ — "
        'สร้างโทเค็นที่มีสิทธิ์ "อ่านและเขียน" ที่หน้า "โทเค็น API" ของคุณ'
    ),
    "api_session_read_only": (
        "การเข้าระบบผ่านเบราว์เซอร์ใช้ API ได้เฉพาะการอ่าน — ส่งโทเค็น API ที่มีสิทธิ์เขียน"
        " (Authorization: Bearer) เพื่อบันทึกข้อมูล"
    ),
    "api_forbidden": (
        "บัญชีนี้เห็นรายการนี้ได้ แต่ไม่มีบทบาทที่ทำขั้นตอนนี้ได้ — ติดต่อผู้ดูแลระบบของหน่วยงานถ้าต้องได้รับบทบาทเพิ่ม"
    ),
    "api_read_only": (
        "บัญชีนี้มีสิทธิ์อ่านอย่างเดียว (ผู้ตรวจสอบ / ผู้บริหาร) จึงแก้ไขข้อมูลไม่ได้ — "
        "ถ้าต้องแก้ไข ให้ผู้รับผิดชอบหรือผู้วางแผนของหน่วยงานดำเนินการ"
    ),
    "api_rate_limited": (
        "ส่งคำขอเกิน {limit} ครั้งใน {window} วินาที — รอ {seconds} วินาทีแล้วส่งใหม่ "
        "(ดูหัว Retry-After ของคำตอบ)"
    ),
    "api_not_found": (
        "ไม่พบ{what}ที่ขอ หรือบัญชีนี้ไม่มีสิทธิ์เห็น — ตรวจรหัสที่ส่งมา และดูรายการที่เห็นได้จากรายการของ API"
    ),
    "api_invalid_input": "ข้อมูลที่ส่งมาไม่ถูกต้อง: {problems} — แก้ตามที่ระบุแล้วส่งใหม่",
    "api_bad_json": (
        "เนื้อหาของคำขอไม่ใช่ JSON ที่อ่านได้ — ส่ง JSON ที่ถูกต้อง (UTF-8) "
        "พร้อมหัว Content-Type: application/json"
    ),
    "api_token_days": "อายุโทเค็นเป็น {days} วัน — เลือกได้ตั้งแต่ 1 ถึง {limit} วัน",
    "api_token_not_yours": "ไม่พบโทเค็นนี้ในโทเค็นของคุณ — โหลดหน้านี้ใหม่แล้วเลือกจากรายการ",
    "entry_version_stale": (
        '"{item}" ถูกเปลี่ยนหลังจากที่คุณอ่าน (รุ่น {expected} ตอนนี้เป็นรุ่น {current}) — '
        "อ่านรายการนี้ใหม่แล้วทำขั้นตอนนี้อีกครั้งถ้ายังต้องการ"
    ),
    "document_not_ready": (
        "เอกสารนี้ยังไม่พร้อมให้ดาวน์โหลด (สถานะ: {status}) — ถามสถานะของงานอีกครั้งจนเป็น "
        '"เสร็จแล้ว" แล้วจึงดาวน์โหลด'
    ),
}

GENERIC_MESSAGE = "เกิดข้อผิดพลาดที่ระบบยังไม่มีคำอธิบาย (รหัส {code}) — กรุณาแจ้งผู้ดูแลระบบพร้อมรหัสนี้"

# A yes / no KPI's result: met or not (forms, pages and documents alike).
MET_LABELS: dict[bool, str] = {True: "ผ่าน", False: "ไม่ผ่าน"}
_MET_PAIR = f"{MET_LABELS[True]} / {MET_LABELS[False]}"

# Thai labels of the core's enum values, for messages, forms and documents: Django's choices
# (tidtam/*/models.py) and every renderer take them from here.
LABELS: dict[enum.Enum, str] = {
    MeasureKind.QUANTITY: "เชิงปริมาณ (ผลเทียบค่าเป้าหมาย)",
    MeasureKind.RATIO: "อัตราส่วน (A / B × 100)",
    MeasureKind.CHANGE: "ร้อยละการเปลี่ยนแปลงจากค่าฐาน",
    MeasureKind.MILESTONE: "ระดับความสำเร็จ",
    MeasureKind.YES_NO: _MET_PAIR,
    ResultField.VALUE: "ค่าตัวเลข",
    ResultField.LEVEL: "ระดับที่ทำได้",
    ResultField.MET: _MET_PAIR,
    Direction.HIGHER: "ยิ่งมากยิ่งดี",
    Direction.LOWER: "ยิ่งน้อยยิ่งดี",
    Interpolation.STEP: "ให้คะแนนตามระดับที่ผ่าน",
    Interpolation.LINEAR: "เทียบสัดส่วนระหว่างระดับ",
    Weighting.OF_MAX: "คะแนน × น้ำหนัก ÷ คะแนนเต็ม (คะแนนรวมเต็ม 100)",
    Weighting.WEIGHT_PERCENT: "น้ำหนัก (ร้อยละ) × คะแนน (คะแนนรวมตามมาตรคะแนน เช่น เต็ม 5)",
    ItemKind.PROJECT: "โครงการ",
    ItemKind.PROGRAMME: "แผนงาน",
    ItemKind.BUDGET_ITEM: "รายการ",
    Status.DRAFT: "ร่าง",
    Status.SUBMITTED: "ส่งแล้ว",
    Status.RETURNED: "ส่งกลับให้แก้ไข",
    Status.APPROVED: "อนุมัติแล้ว",
    Action.SUBMIT: "ส่งผล",
    Action.RETURN: "ส่งกลับให้แก้ไข",
    Action.APPROVE: "อนุมัติ",
    Action.REOPEN: "เปิดใหม่",
    Action.UNLOCK: "อนุญาตให้แก้ไขหลังปิดรอบ",
    # เบิกจ่าย is money paid out; ใช้จ่าย is that and what is committed: never one for the other.
    Measure.DISBURSED: "ผลการเบิกจ่าย",
    Measure.SPENT: "ผลการใช้จ่าย (เบิกจ่าย + ก่อหนี้ผูกพัน)",
}

# How a year-end disbursement forecast was made (tidtam.domain.forecast: Forecast.method).
FORECAST_METHODS: dict[str, str] = {
    "past_years": "รูปแบบการเบิกจ่ายของปีก่อน",
    "plan": "แผนการเบิกจ่ายรายเดือน",
}

# A measure's name inside a sentence ("… ผลการใช้จ่ายร้อยละ 40.00").
MEASURE_WORDS: dict[Measure, str] = {
    Measure.DISBURSED: LABELS[Measure.DISBURSED],
    Measure.SPENT: "ผลการใช้จ่าย",
}

# Labels of values the models keep that are not core enums, by stored value.
PERCENT_METHOD_LABELS: dict[str, str] = {
    "computed": "คำนวณจากจำนวนผลเทียบเป้าหมาย",
    "budget_line": "คำนวณจากผลเบิกจ่ายเทียบแผนการใช้จ่าย",
    "entered": "กรอกโดยผู้รายงาน",
}
SCHEME_LABELS: dict[str, str] = {
    "three_level": "3 ระดับ (50 / 75 / 100 คะแนน)",
    "five_level": "5 ระดับ (คะแนน 1–5)",
}


def met_label(met: bool | None) -> str:
    """ผ่าน / ไม่ผ่าน, or "-" while not assessed."""
    return "-" if met is None else MET_LABELS[bool(met)]


# The documents tidtam makes, by code: the registry (tidtam.reports.documents), the read log
# and the pages name them from here.
DOCUMENT_TITLES: dict[str, str] = {
    "quarterly": "รายงานผลการดำเนินงานรายไตรมาส",
    "agreement": "คำรับรองการปฏิบัติราชการ",
    "scorecard": "ผลการประเมินตามคำรับรองรายรอบ",
    "ita-plan": "ITA: แผนการดำเนินงานและการใช้จ่ายงบประมาณประจำปี",
    "ita-progress": "ITA: รายงานการกำกับติดตามรอบ 6 เดือน",
    "ita-annual": "ITA: รายงานผลการดำเนินงานประจำปี",
    "form-301": "แบบ สงป. 301 แผน/ผลการปฏิบัติงานรายเดือน",
    "form-302": "แบบ สงป. 302 แผน/ผลการใช้จ่ายงบประมาณรายเดือน",
    "summary": "สรุปผลการดำเนินงานของหน่วยงานและหน่วยงานในสังกัด",
}

PASSED_LABELS: dict[bool | None, str] = {
    True: "ผ่านค่าเป้าหมาย",
    False: "ไม่ผ่านค่าเป้าหมาย",
    None: "ยังประเมินไม่ได้",
}


def passed_label(passed: bool | None) -> str:
    """Whether a KPI reached its target, in words (ผ่านค่าเป้าหมาย / ไม่ผ่าน… / ยังประเมินไม่ได้)."""
    return PASSED_LABELS[passed]


def value_label(kind: type[enum.Enum], value: str) -> str:
    """The Thai label of a stored enum value (a code in a document's data); the code itself
    when it is not one of the enum's (data from an older version)."""
    try:
        return LABELS[kind(value)]
    except (ValueError, KeyError):
        return value


# Field names the core itself uses in parameters; other callers pass Thai labels.
FIELD_LABELS: dict[str, str] = {
    "plan": "งบประมาณตามแผน",
    "disbursed": "ผลการเบิกจ่าย",
    "committed": "ภาระผูกพัน",
    "fiscal_year": "ปีงบประมาณ",
}

UNNAMED = "(ไม่ระบุชื่อ)"


class CodedError(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def params(self) -> Mapping[str, object]: ...


def threshold_words(thresholds: BandThresholds = DEFAULT_THRESHOLDS) -> dict[str, str]:
    """The thresholds as documents write them: "50", "79.99" (the middle band's last value,
    as the documents close it rather than saying "below 80"), "80"."""
    return {
        "low": _format_decimal(thresholds.low),
        "high": _format_decimal(thresholds.high),
        "below_high": _format_decimal(thresholds.high - Decimal("0.01")),
        "explanation": _format_decimal(thresholds.explanation),
    }


def band_label(
    band: Band, thresholds: BandThresholds = DEFAULT_THRESHOLDS, *, later: str = "3-4"
) -> str:
    """The band table's column heading, following the thresholds in force; `later` names the
    quarters of the later-quarter band."""
    if band == Band.LATER_QUARTER:
        return f"มีแผนดำเนินงานในไตรมาส {later}"
    words = threshold_words(thresholds)
    if band == Band.BELOW_50:
        return f"ต่ำกว่าร้อยละ {words['low']}"
    if band == Band.FROM_50:
        return f"ร้อยละ {words['low']}-{words['below_high']}"
    return f"ร้อยละ {words['high']} ขึ้นไป"


def _format_decimal(value: Decimal) -> str:
    """Show a Decimal as people write it: separators, no trailing zeros, at most 2 places."""
    if not value.is_finite():
        return str(value)
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)  # finite values have an integer exponent
    places = min(max(-exponent, 0), 2)
    return format_number(round_half_up(value, places), places)


def _format_param(name: str, value: object) -> str:
    if isinstance(value, enum.Enum):
        return LABELS.get(value, str(value.value))
    if isinstance(value, Decimal):
        return _format_decimal(value)
    if isinstance(value, date):
        return format_date_long(value)
    text = str(value)
    if name == "field":
        return FIELD_LABELS.get(text, text)
    return text or UNNAMED


class _Params(dict[str, str]):
    # A template naming a parameter the error lacks shows the placeholder
    # instead of failing while reporting another failure.
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def message_for(error: CodedError) -> str:
    """The Thai message for an error with .code and .params."""
    template = MESSAGES.get(error.code)
    if template is None:
        return GENERIC_MESSAGE.format(code=error.code)
    params = _Params({name: _format_param(name, value) for name, value in error.params.items()})
    return template.format_map(params)


# The reason an imported table's typed percents carry (an entered percent needs one).
IMPORTED_PERCENT_NOTE = "ร้อยละตามตารางผลการดำเนินงานที่นำเข้า"

# A project of the agency's strategic plan (outside the plan's activities), reported by its KPI.
STRATEGIC_PROJECT = "โครงการตามแผนยุทธศาสตร์"


# A personal API token's scope (tidtam.api.models.ApiToken).
API_SCOPE_LABELS: dict[str, str] = {
    "read": "อ่านอย่างเดียว",
    "write": "อ่านและเขียน",
}

# What each kind of input problem the API's validation finds is called, by pydantic's error
# type; {…} are the error's context (a limit, the choices). Others: API_INPUT_OTHER.
API_INPUT_PROBLEMS: dict[str, str] = {
    "missing": "ต้องมีค่า",
    "int_parsing": "ต้องเป็นจำนวนเต็ม",
    "int_type": "ต้องเป็นจำนวนเต็ม",
    "int_from_float": "ต้องเป็นจำนวนเต็ม ไม่มีทศนิยม",
    "float_parsing": "ต้องเป็นตัวเลข",
    "decimal_parsing": "ต้องเป็นตัวเลข",
    "decimal_type": "ต้องเป็นตัวเลข",
    "decimal_max_digits": "มีตัวเลขเกิน {max_digits} หลัก",
    "decimal_max_places": "มีทศนิยมเกิน {decimal_places} ตำแหน่ง",
    "decimal_whole_digits": "มีตัวเลขหน้าจุดทศนิยมเกิน {whole_digits} หลัก",
    "finite_number": "ต้องเป็นตัวเลขที่มีค่าจริง",
    "bool_parsing": "ต้องเป็น true หรือ false",
    "bool_type": "ต้องเป็น true หรือ false",
    "string_type": "ต้องเป็นข้อความ",
    "string_too_long": "ยาวเกิน {max_length} ตัวอักษร",
    "string_too_short": "ต้องยาวอย่างน้อย {min_length} ตัวอักษร",
    "string_pattern_mismatch": "มีรูปแบบไม่ถูกต้อง",
    "greater_than_equal": "ต้องไม่น้อยกว่า {ge}",
    "greater_than": "ต้องมากกว่า {gt}",
    "less_than_equal": "ต้องไม่เกิน {le}",
    "less_than": "ต้องน้อยกว่า {lt}",
    "literal_error": "ต้องเป็นค่าใดค่าหนึ่งใน {expected}",
    "enum": "ต้องเป็นค่าใดค่าหนึ่งใน {expected}",
    "list_type": "ต้องเป็นรายการ (array)",
    "too_short": "ต้องมีอย่างน้อย {min_length} รายการ",
    "too_long": "มีได้ไม่เกิน {max_length} รายการ",
    "dict_type": "ต้องเป็นออบเจ็กต์ JSON",
    "model_attributes_type": "ต้องเป็นออบเจ็กต์ JSON",
    "uuid_parsing": "ต้องเป็นรหัส UUID",
    "uuid_type": "ต้องเป็นรหัส UUID",
    "extra_forbidden": "ไม่รู้จักช่องนี้",
    "json_invalid": "ไม่ใช่ JSON ที่อ่านได้",
    "value_error": "ค่าไม่ถูกต้อง ({detail})",
}
API_INPUT_OTHER = "ค่าไม่ถูกต้อง"
API_INPUT_BODY = "เนื้อหาคำขอ"


# A document of an organisation with the units below it (`--subtree`): the words after its name,
# and each row named by the unit it belongs to.
WITH_UNITS = " และหน่วยงานในสังกัด"


def unit_named(unit: str | None, text: str) -> str:
    """A row's text named by its unit ("สนย.: โครงการ …"); as it is when no unit is named."""
    return f"{unit}: {text}" if unit else text
